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
}
