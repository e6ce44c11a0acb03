namespace MmUpt.SelfGeneration;

/// <summary>
/// Cuts the question out of a self-generation response: the text after the last <see cref="SynthPrompts.Marker"/>
/// (case-insensitive; the whole response if absent), up to a line that starts an answer or solution, trimmed of
/// whitespace and wrapping quotes. Returns "" when nothing is left.
/// </summary>
public static class QuestionExtractor
{
    private static readonly string[] Stops = ["answer:", "answer :", "solution:", "**answer", "final answer"];

    public static string Extract(string response)
    {
        var marker = response.LastIndexOf(SynthPrompts.Marker, StringComparison.OrdinalIgnoreCase);
        var text = marker >= 0 ? response[(marker + SynthPrompts.Marker.Length)..] : response;
        var lines = text.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        var kept = new List<string>();
        foreach (var line in lines)
        {
            var t = line.Trim();
            if (kept.Count > 0 && Stops.Any(s => t.StartsWith(s, StringComparison.OrdinalIgnoreCase)))
            {
                break;
            }
            kept.Add(t);
        }
        return string.Join(' ', kept.Where(l => l.Length > 0)).Trim().Trim('"', '\'', '“', '”', '*').Trim();
    }
}
