namespace MmUpt.Grading.Extraction;

/// <summary>
/// The last <c>\boxed{...}</c> (or <c>\fbox{...}</c>) of a response, braces matched, content trimmed; then the optional
/// fallbacks. Linear in the response length: at most <see cref="ExtractionOptions.MaxBoxCandidates"/> openings are
/// scanned, each for at most <see cref="ExtractionOptions.MaxBoxLength"/> characters.
/// </summary>
public sealed class BoxedAnswerExtractor(ExtractionOptions options) : IAnswerExtractor
{
    public static BoxedAnswerExtractor Faithful { get; } = new(ExtractionOptions.Faithful);

    public static BoxedAnswerExtractor Robust { get; } = new(ExtractionOptions.Robust);

    public ExtractionOptions Options { get; } = options;

    public ExtractedAnswer Extract(string response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var boxed = ExtractBox(response);
        if (boxed is not null)
        {
            return new ExtractedAnswer(boxed, ExtractionSource.Box);
        }
        if (Options.AnswerPhraseFallback && FallbackExtractor.AnswerPhrase(response) is { } phrase)
        {
            return new ExtractedAnswer(phrase, ExtractionSource.AnswerPhrase);
        }
        if (Options.LastNumberFallback && FallbackExtractor.LastNumber(response) is { } number)
        {
            return new ExtractedAnswer(number, ExtractionSource.LastNumber);
        }
        return ExtractedAnswer.None;
    }

    /// <summary>The last complete box opening before <paramref name="end"/>: its span and trimmed content.</summary>
    public (int Start, int End, string Content)? LastBox(string text, int end)
    {
        for (var candidate = 0; candidate < Options.MaxBoxCandidates; candidate++)
        {
            var (start, length) = LastOpening(text, end);
            if (start < 0)
            {
                return null;
            }
            var close = MatchingBrace(text, start + length);
            if (close >= 0 && close < end)
            {
                return (start, close + 1, text[(start + length)..close].Trim());
            }
            end = start;
        }
        return null;
    }

    private string? ExtractBox(string text)
    {
        var end = text.Length;
        for (var candidate = 0; candidate < Options.MaxBoxCandidates; candidate++)
        {
            var (start, length) = LastOpening(text, end);
            if (start < 0)
            {
                return null;
            }
            var content = start + length;
            var close = MatchingBrace(text, content);
            if (close >= 0)
            {
                var inner = text[content..close].Trim();
                return inner.Length == 0 && Options.EmptyIsNone ? null : inner;
            }
            if (!Options.SkipUnterminated)
            {
                return null;
            }
            end = start;
        }
        return null;
    }

    // The latest opening of any box command that starts before `end`.
    private (int Start, int Length) LastOpening(string text, int end)
    {
        var best = (-1, 0);
        foreach (var command in Options.BoxCommands)
        {
            if (end - command.Length < 0)
            {
                continue;
            }
            var at = text.LastIndexOf(command, end - 1, end, StringComparison.Ordinal);
            if (at > best.Item1)
            {
                best = (at, command.Length);
            }
        }
        return best;
    }

    // Index of the brace closing the group that starts at `from` (depth 0), or -1.
    private int MatchingBrace(string text, int from)
    {
        var limit = (int)Math.Min(text.Length, (long)from + Options.MaxBoxLength + 1);
        var depth = 0;
        for (var i = from; i < limit; i++)
        {
            var c = text[i];
            if (c == '\\' && Options.EscapedBraces && i + 1 < limit && text[i + 1] is '{' or '}' or '\\')
            {
                i++;
            }
            else if (c == '{')
            {
                depth++;
            }
            else if (c == '}' && --depth < 0)
            {
                return i;
            }
        }
        return -1;
    }
}
