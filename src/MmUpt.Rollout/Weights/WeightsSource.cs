namespace MmUpt.Rollout.Weights;

/// <summary>
/// Whether a <c>SyncWeights</c> source is the configured one: addresses equal up to the case of scheme and host and a
/// trailing slash, folders equal as full paths. An address never equals a folder.
/// </summary>
public static class WeightsSource
{
    public static bool Same(string configured, string requested)
    {
        var remote = RemoteVersions.IsAddress(configured);
        if (remote != RemoteVersions.IsAddress(requested)) return false;
        if (remote)
        {
            return Uri.TryCreate(configured, UriKind.Absolute, out var a) && Uri.TryCreate(requested, UriKind.Absolute, out var b)
                && Uri.Compare(a, b, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0
                && a.AbsolutePath.TrimEnd('/') == b.AbsolutePath.TrimEnd('/');
        }
        return requested.Length > 0 && Full(configured) == Full(requested);
    }

    private static string Full(string folder) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
}
