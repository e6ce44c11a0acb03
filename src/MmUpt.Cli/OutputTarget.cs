namespace MmUpt.Cli;

/// <summary>
/// Checks an output path before a command does any work: it must not be (or lie inside) one of the command's inputs,
/// and an existing folder is replaced only when it holds nothing but what the command itself writes (an earlier run).
/// </summary>
public static class OutputTarget
{
    /// <summary>Null when <paramref name="target"/> may be written, else the problem (the caller prefixes the flag).</summary>
    /// <param name="ownNames">Entry names the command writes into a folder target; null for a file target.</param>
    /// <param name="inputs">Files and folders the command reads.</param>
    public static string? Problem(string target, IReadOnlyCollection<string>? ownNames, params string[] inputs)
    {
        var full = Path.GetFullPath(target);
        if (PathProblem(full, inputs) is { } problem)
        {
            return problem;
        }
        if (ownNames is null)
        {
            return Directory.Exists(full) ? $"{full} is a folder; give a file name" : null;
        }
        if (File.Exists(full))
        {
            return $"{full} is a file; give a folder";
        }
        if (!Directory.Exists(full))
        {
            return null;
        }
        var foreign = Directory.EnumerateFileSystemEntries(full).Select(Path.GetFileName).FirstOrDefault(n => !ownNames.Contains(n!));
        return foreign is null
            ? null
            : $"{full} already holds '{foreign}', which this command does not write; give a new or empty folder";
    }

    /// <summary>
    /// A folder the caller replaces whole after checking itself that it is an earlier output (e.g. synth's images next to
    /// its JSONL): only the input and parent checks apply.
    /// </summary>
    public static string? FolderProblem(string target, params string[] inputs)
    {
        var full = Path.GetFullPath(target);
        return PathProblem(full, inputs) ?? (File.Exists(full) ? $"{full} is a file; give a folder" : null);
    }

    private static string? PathProblem(string full, string[] inputs)
    {
        foreach (var input in inputs.Select(Path.GetFullPath))
        {
            if (full == input || full.StartsWith(input.TrimEnd('/') + "/", StringComparison.Ordinal))
            {
                return $"{full} is {(full == input ? "" : "inside ")}the input {input}; write the output somewhere else";
            }
        }
        for (var parent = Path.GetDirectoryName(full); parent is not null; parent = Path.GetDirectoryName(parent))
        {
            if (File.Exists(parent))
            {
                return $"{parent} is a file, so {full} cannot be created";
            }
            if (Directory.Exists(parent))
            {
                break;
            }
        }
        return null;
    }
}
