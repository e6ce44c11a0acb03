namespace MmUpt.Grading.Extraction;

/// <summary>Where an extracted answer came from.</summary>
public enum ExtractionSource
{
    /// <summary>No answer was found.</summary>
    None,

    /// <summary>The content of a <c>\boxed{}</c> or <c>\fbox{}</c>.</summary>
    Box,

    /// <summary>The text after a phrase such as "the answer is" (fallback).</summary>
    AnswerPhrase,

    /// <summary>The last number in the response (fallback).</summary>
    LastNumber,

    /// <summary>The last display or inline math of the response (robust extraction).</summary>
    Math,

    /// <summary>A short response taken whole (robust extraction).</summary>
    Whole,
}
