namespace MmUpt.Weights;

/// <summary>The names a version's files may have: plain file names, so no name can reach outside the version folder.</summary>
public static class WeightsFileName
{
    /// <summary>Null when <paramref name="name"/> is acceptable, else why not.</summary>
    public static string? Problem(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "is empty";
        }
        if (name.Length > 255)
        {
            return $"is {name.Length} characters long (at most 255)";
        }
        if (name is "." or ".." || name.IndexOfAny(['/', '\\', '\0']) >= 0)
        {
            return "must be a plain file name, not a path";
        }
        if (name.StartsWith('.') || name == WeightsStore.ManifestFileName)
        {
            return "is reserved by the store";
        }
        return null;
    }
}
