namespace MmUpt.Grading.Extraction;

/// <summary>Finds the final answer in one response text.</summary>
public interface IAnswerExtractor
{
    /// <summary>The final answer, or <see cref="ExtractedAnswer.None"/> when the response states none.</summary>
    ExtractedAnswer Extract(string response);
}
