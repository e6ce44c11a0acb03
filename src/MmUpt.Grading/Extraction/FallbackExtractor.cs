using System.Text.RegularExpressions;

namespace MmUpt.Grading.Extraction;

/// <summary>
/// The optional fallbacks when a response has no box: the text after the last "the answer is" / "answer:", then the last
/// number. Both read only the last <see cref="Window"/> characters, so their cost does not grow with the response.
/// </summary>
internal static partial class FallbackExtractor
{
    public const int Window = 4096;

    public static string? AnswerPhrase(string text)
    {
        var tail = Tail(text);
        var matches = AnswerPhraseRegex().Matches(tail);
        if (matches.Count == 0)
        {
            return null;
        }
        var value = matches[^1].Groups["answer"].Value.Trim().TrimEnd('.', ' ').Trim('$', ' ');
        return value.Length == 0 ? null : value;
    }

    public static string? LastNumber(string text)
    {
        var matches = NumberRegex().Matches(Tail(text));
        return matches.Count == 0 ? null : matches[^1].Value;
    }

    private static string Tail(string text) => text.Length <= Window ? text : text[^Window..];

    [GeneratedRegex(@"(?:the (?:final )?answer is|answer:)\s*:?\s*(?<answer>[^\n]*?)(?:\.\s|\.$|\n|$)",
        RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex AnswerPhraseRegex();

    [GeneratedRegex(@"-?\d+(?:,\d{3})*(?:\.\d+)?(?:/\d+)?", RegexOptions.NonBacktracking)]
    private static partial Regex NumberRegex();
}
