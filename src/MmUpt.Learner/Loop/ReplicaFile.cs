namespace MmUpt.Learner.Loop;

/// <summary>
/// The replica addresses of a membership file (<c>Train:Replicas:File</c>): one address a line, blank lines and
/// <c>#</c> comments skipped. Lines that are not an address are left out and reported, once per change of the file.
/// </summary>
public sealed class ReplicaFile(string path, Action<string> onEvent)
{
    private string? _lastText;

    /// <summary>The addresses now in the file, or null when it cannot be read (the caller keeps the last membership).</summary>
    public IReadOnlyList<string>? Read()
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (_lastText is not null) onEvent($"replica file {path} cannot be read ({ex.Message}); keeping the last membership");
            _lastText = null;
            return null;
        }
        var changed = text != _lastText;
        _lastText = text;
        var addresses = new List<string>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (Uri.TryCreate(line, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Port > 0) addresses.Add(line);
            else if (changed) onEvent($"replica file {path}: line {i + 1}: '{line}' is not an address like http://127.0.0.1:50051; left out");
        }
        return addresses;
    }
}
