namespace MmUpt.Onnx.Tests.Fixtures;

/// <summary>A fresh copy of the tiny checkpoint folder, for tests that change or break one of its files.</summary>
public static class CheckpointCopy
{
    public static string Make(ExportedTiny tiny, string name)
    {
        var folder = tiny.NewFolder(name);
        Directory.CreateDirectory(folder);
        foreach (var f in Directory.GetFiles(tiny.Checkpoint))
        {
            File.Copy(f, Path.Combine(folder, Path.GetFileName(f)));
        }
        return folder;
    }

    /// <summary>Every file under <paramref name="folder"/> with its bytes, for "nothing changed" assertions.</summary>
    public static SortedDictionary<string, byte[]> Snapshot(string folder) =>
        new(Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f), File.ReadAllBytes), StringComparer.Ordinal);
}
