using System.Text.RegularExpressions;

namespace MmUpt.Grading.Extraction;

/// <summary>
/// The robust extractor: the final answer of a whole response, in this order.
/// <list type="number">
/// <item>The last <c>\boxed{}</c> / <c>\fbox{}</c> (<see cref="BoxedAnswerExtractor"/>, braces matched), joined with
/// the boxes right before it when only a connector separates them (",", "and", "or", <c>\quad</c>, no words):
/// <c>\boxed{1} and \boxed{2}</c> → "1, 2".</item>
/// <item>Else whichever ends last of: the last display or inline math (<c>\[..\]</c>, <c>$$..$$</c>,
/// <c>\(..\)</c>, <c>$..$</c>, joined the same way), the text after the last "the answer is" / "answer:" (the math
/// that ends it, else its last number when it is a sentence), and the last number; on a tie (a number inside the math) the math wins, then the phrase. So "the largest $n$ is 34."
/// gives 34, while "... is $x \geq 5$." gives the math.</item>
/// <item>A box that opens and never closes means the response was cut off: no answer.</item>
/// <item>Else a short response (at most <see cref="ShortAnswer"/> characters and three words) is its own answer.</item>
/// </list>
/// Reads at most the last <see cref="Window"/> characters, so its cost does not grow with the response.
/// </summary>
public sealed partial class ResponseExtractor : IAnswerExtractor
{
    public const int Window = 8192;
    public const int ShortAnswer = 40;

    private static readonly BoxedAnswerExtractor Boxes = BoxedAnswerExtractor.Robust;

    public static ResponseExtractor Instance { get; } = new();

    public ExtractedAnswer Extract(string response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var text = response.Length <= Window ? response : response[^Window..];
        if (LastBoxes(text) is { } boxed)
        {
            return new ExtractedAnswer(boxed, ExtractionSource.Box);
        }
        if (text.Contains(@"\boxed{", StringComparison.Ordinal) || text.Contains(@"\fbox{", StringComparison.Ordinal))
        {
            return ExtractedAnswer.None; // a box was opened and never closed: the response was cut off mid-answer
        }
        var math = LastMath(text);
        var phrase = AnswerPhrase(text);
        var number = NumberRegex().Matches(text) is { Count: > 0 } numbers ? numbers[^1] : null;
        var best = (End: -1, Text: (string?)null, Source: ExtractionSource.None);
        if (math is { } m)
        {
            best = (m.End, m.Text, ExtractionSource.Math);
        }
        if (phrase is { } p && p.End > best.End)
        {
            best = (p.End, p.Text, ExtractionSource.AnswerPhrase);
        }
        if (number is not null && number.Index + number.Length > best.End)
        {
            best = (number.Index + number.Length, number.Value, ExtractionSource.LastNumber);
        }
        var trimmed = text.Trim();
        // An empty response has no answer: it abstains, it is never the label.
        if (trimmed.Length > 0 && trimmed.Length <= ShortAnswer && trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length <= 3
            && best.Source is ExtractionSource.None or ExtractionSource.LastNumber)
        {
            return new ExtractedAnswer(trimmed, ExtractionSource.Whole);
        }
        return best.Text is null ? ExtractedAnswer.None : new ExtractedAnswer(best.Text, best.Source);
    }

    // The last box and the boxes chained to it by connectors, as "a, b, c".
    private static string? LastBoxes(string text)
    {
        var parts = new List<string>();
        var end = text.Length;
        while (Boxes.LastBox(text, end) is { } box)
        {
            if (parts.Count > 0 && !Connector(text[box.End..end]))
            {
                break;
            }
            parts.Insert(0, box.Content);
            end = box.Start;
        }
        return parts.Count == 0 ? null : string.Join(", ", parts);
    }

    private static (int End, string Text)? LastMath(string text)
    {
        var matches = MathRegex().Matches(text);
        if (matches.Count == 0)
        {
            return null;
        }
        var parts = new List<string>();
        var last = matches[^1];
        for (var k = matches.Count - 1; k >= 0; k--)
        {
            var m = matches[k];
            if (parts.Count > 0 && !Connector(text[(m.Index + m.Length)..matches[k + 1].Index]))
            {
                break;
            }
            parts.Insert(0, Inner(m).Trim());
        }
        return (last.Index + last.Length, string.Join(", ", parts));
    }

    private static string Inner(Match m) =>
        m.Groups["d"].Success ? m.Groups["d"].Value : m.Groups["b"].Success ? m.Groups["b"].Value
        : m.Groups["p"].Success ? m.Groups["p"].Value : m.Groups["i"].Value;

    private static (int End, string Text)? AnswerPhrase(string text)
    {
        var matches = PhraseRegex().Matches(text);
        if (matches.Count == 0)
        {
            return null;
        }
        var answer = matches[^1].Groups["answer"];
        var value = answer.Value.Trim().TrimEnd('.', ' ');
        if (value.Length == 0)
        {
            return null;
        }
        // "The final answer is $(0, 1)$" → the math; "The largest $n$ is 34" → the number after it; "7.78" → itself.
        var math = MathRegex().Matches(value);
        if (math.Count > 0 && value[(math[^1].Index + math[^1].Length)..].Trim(' ', '.', '"', '\\').Length == 0)
        {
            value = Inner(math[^1]).Trim();
        }
        else if (WordRegex().IsMatch(value) && NumberRegex().Matches(value) is { Count: > 0 } numbers)
        {
            value = numbers[^1].Value;
        }
        return (answer.Index + answer.Length, value);
    }

    // Between two boxes or two math spans: only punctuation and connector words, or a short "name =" prefix.
    private static bool Connector(string gap) => gap.Length <= 48 && ConnectorRegex().IsMatch(gap);

    [GeneratedRegex(@"\$\$(?<d>[^$]{1,2000}?)\$\$|\\\[(?<b>.{1,2000}?)\\\]|\\\((?<p>.{1,2000}?)\\\)|\$(?<i>[^$]{1,1000}?)\$", RegexOptions.Singleline)]
    private static partial Regex MathRegex();

    // "the (final) answer is X" / "answer: X" up to the end of the sentence or line.
    [GeneratedRegex(@"(?:answer is|answer\s*:)\s*:?\s*(?<answer>[^\n]*?)(?=\.\s|\.$|\n|$|\s*I hope)", RegexOptions.IgnoreCase)]
    private static partial Regex PhraseRegex();

    // At most 40 digits per run: a megabyte of digits is not a final number.
    [GeneratedRegex(@"(?<![\d.])-?\d{1,40}(?:,\d{3})*(?:\.\d{1,40})?(?:/\d{1,40})?(?![\d.]\d)")]
    private static partial Regex NumberRegex();

    [GeneratedRegex("[A-Za-z]{3,}")]
    private static partial Regex WordRegex();

    [GeneratedRegex(@"^(?:[\s,;.$+]|\\[()\[\]]|\\q?quad|\\text\{\s*(?:and|or|,)\s*\}|\b(?:and|or)\b|\b[A-Za-z]\w*(?:_\{?\w+\}?)?\s*=|\\,)*$|^[^A-Za-z0-9]*$|\band\b")]
    private static partial Regex ConnectorRegex();
}
