namespace MmUpt.Cli;

/// <summary>
/// A command's outputs, written into a hidden sibling folder (<c>.mmupt-partial-PID-N</c> next to the target) and
/// moved into place by <see cref="Commit"/> only when the command succeeds; disposing without a commit deletes them. A
/// failed or interrupted run therefore leaves nothing half-written where the outputs belong, and an earlier output
/// stays whole until the new one is complete. Moves are renames within one folder, so each is atomic.
/// </summary>
public sealed class StagedOutput : IDisposable
{
    private readonly string _staging;
    private readonly List<(string Staged, string Target)> _moves = [];
    private bool _committed;

    /// <param name="nextTo">The output file or folder the staging folder is created beside (same file system).</param>
    public StagedOutput(string nextTo)
    {
        var parent = Path.GetDirectoryName(Path.GetFullPath(nextTo))!;
        Directory.CreateDirectory(parent);
        _staging = Directory.CreateDirectory(Path.Combine(parent, $".mmupt-partial-{Environment.ProcessId}-{Guid.NewGuid():N}")).FullName;
    }

    /// <summary>Where to write what will become <paramref name="target"/>: a path inside the staging folder.</summary>
    public string Stage(string relative, string target)
    {
        var staged = Path.Combine(_staging, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(staged)!);
        _moves.Add((staged, Path.GetFullPath(target)));
        return staged;
    }

    /// <summary>Moves every staged output into place, replacing an earlier file or folder of the same name.</summary>
    public void Commit()
    {
        foreach (var (staged, target) in _moves)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (Directory.Exists(staged))
            {
                var old = Directory.Exists(target) ? Path.Combine(_staging, ".replaced-" + Path.GetFileName(target)) : null;
                if (old is not null) Directory.Move(target, old);
                Directory.Move(staged, target);
            }
            else if (File.Exists(staged))
            {
                File.Move(staged, target, overwrite: true);
            }
        }
        _committed = true;
        Delete();
    }

    public void Dispose()
    {
        if (!_committed) Delete();
    }

    private void Delete()
    {
        try
        {
            Directory.Delete(_staging, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover hidden staging folder is harmless and named after the process that left it.
        }
    }
}
