using System.ComponentModel.DataAnnotations;

namespace MmUpt.Grading.Extraction;

/// <summary>
/// How <see cref="BoxedAnswerExtractor"/> reads a response. <see cref="Faithful"/> is exactly MathRuler's
/// <c>extract_boxed_content</c> (the last <c>\boxed{</c>, naive brace count, nothing else); <see cref="Robust"/> adds
/// <c>\fbox</c>, escaped braces and falls back to the last complete box when the last one is unterminated.
/// </summary>
public sealed record ExtractionOptions
{
    /// <summary>Box commands recognised, each including its opening brace. Default <c>\boxed{</c> and <c>\fbox{</c>.</summary>
    public IReadOnlyList<string> BoxCommands { get; init; } = [@"\boxed{", @"\fbox{"];

    /// <summary>Whether <c>\{</c> and <c>\}</c> inside a box are literal braces rather than grouping. Default true.</summary>
    public bool EscapedBraces { get; init; } = true;

    /// <summary>When the last box never closes, try the box before it (false: no answer, as MathRuler). Default true.</summary>
    public bool SkipUnterminated { get; init; } = true;

    /// <summary>An empty box counts as no answer (false: the empty string is an answer, as MathRuler). Default true.</summary>
    public bool EmptyIsNone { get; init; } = true;

    /// <summary>
    /// Read the whole response (<see cref="ResponseExtractor"/>: boxes joined by connectors, then the last math, phrase or
    /// number, then a short response itself) instead of boxes only. Robust default true.
    /// </summary>
    public bool WholeResponse { get; init; }

    /// <summary>Without a box, take the text after "the answer is" / "answer:". Default false.</summary>
    public bool AnswerPhraseFallback { get; init; }

    /// <summary>Without a box or phrase, take the last number in the response. Default false.</summary>
    public bool LastNumberFallback { get; init; }

    /// <summary>Longest box content in characters; a longer box counts as unterminated. Bounds the scan. Default 10,000.</summary>
    [Range(1, int.MaxValue)]
    public int MaxBoxLength { get; init; } = 10_000;

    /// <summary>How many box openings, from the end, are tried when <see cref="SkipUnterminated"/> is set. Default 16.</summary>
    [Range(1, 1024)]
    public int MaxBoxCandidates { get; init; } = 16;

    /// <summary>MathRuler's extractor exactly: last <c>\boxed{</c>, naive braces, unterminated or missing = none.</summary>
    public static ExtractionOptions Faithful { get; } = new()
    {
        BoxCommands = [@"\boxed{"],
        EscapedBraces = false,
        SkipUnterminated = false,
        EmptyIsNone = false,
        MaxBoxLength = int.MaxValue,
        MaxBoxCandidates = 1,
    };

    /// <summary>The robust extractor: the whole response is read.</summary>
    public static ExtractionOptions Robust { get; } = new() { WholeResponse = true };
}
