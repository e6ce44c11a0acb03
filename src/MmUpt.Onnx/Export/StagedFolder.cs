namespace MmUpt.Onnx.Export;

/// <summary>
/// An output folder written through a temporary sibling (<c>.NAME.partial-…</c>, same parent so the final move is a
/// rename) and moved into place by <see cref="Commit"/>. Until then the target is untouched; a failed run deletes the
/// sibling, so it leaves nothing half-written. Replacing an existing target (only with overwrite) renames it aside,
/// moves the new folder in and deletes the old one, so no stale file of an earlier export survives.
/// </summary>
internal sealed class StagedFolder : IDisposable
{
    private readonly string _target;
    private bool _committed;

    private StagedFolder(string target, string staging)
    {
        _target = target;
        Staging = staging;
    }

    /// <summary>The temporary folder to write into.</summary>
    public string Staging { get; }

    /// <summary>Checks the target against the input folder and starts staging; throws before anything is written.</summary>
    public static StagedFolder Begin(string target, string inputFolder, bool overwrite)
    {
        var full = Normalize(target);
        var input = Normalize(inputFolder);
        if (Inside(full, input))
            throw new ExportTargetException($"output folder {target} is the checkpoint folder {inputFolder} or inside it; the export never writes into its input");
        if (Inside(input, full))
            throw new ExportTargetException($"checkpoint folder {inputFolder} is inside output folder {target}; replacing the output would delete the checkpoint");
        if (File.Exists(full))
            throw new ExportTargetException($"output folder {target} is a file");
        if (!overwrite && Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any())
            throw new ExportTargetException($"output folder {target} exists and is not empty; pass --force to replace it");
        var parent = Path.GetDirectoryName(full) ?? throw new ExportTargetException($"output folder {target} has no parent folder");
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(full)}.partial-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        return new StagedFolder(full, staging);
    }

    /// <summary>Moves the staged folder to the target (replacing an existing one) and returns the target path.</summary>
    public string Commit()
    {
        string? old = null;
        if (Directory.Exists(_target))
        {
            old = Path.Combine(Path.GetDirectoryName(_target)!, $".{Path.GetFileName(_target)}.old-{Environment.ProcessId}-{Guid.NewGuid():N}");
            Directory.Move(_target, old);
        }
        Directory.Move(Staging, _target);
        _committed = true;
        if (old is not null) Directory.Delete(old, recursive: true);
        return _target;
    }

    public void Dispose()
    {
        if (_committed || !Directory.Exists(Staging)) return;
        try
        {
            Directory.Delete(Staging, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the original error matters more than a leftover temporary folder.
        }
    }

    /// <summary>Absolute, without trailing separators, symlinks of existing folders resolved.</summary>
    private static string Normalize(string path)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        return Directory.Exists(full) && new DirectoryInfo(full).ResolveLinkTarget(returnFinalTarget: true) is { } link
            ? Path.TrimEndingDirectorySeparator(link.FullName)
            : full;
    }

    private static bool Inside(string path, string folder) =>
        path == folder || path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
