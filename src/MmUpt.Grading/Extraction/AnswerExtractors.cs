namespace MmUpt.Grading.Extraction;

/// <summary>The one place that turns <see cref="ExtractionOptions"/> into an extractor: the vote and <c>mmupt grade</c> both call it.</summary>
public static class AnswerExtractors
{
    public static IAnswerExtractor Create(ExtractionOptions options) =>
        options.WholeResponse ? ResponseExtractor.Instance : new BoxedAnswerExtractor(options);
}
