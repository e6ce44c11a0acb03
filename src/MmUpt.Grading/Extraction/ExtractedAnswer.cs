namespace MmUpt.Grading.Extraction;

/// <summary>An extracted final answer; <see cref="Text"/> is null when there is none.</summary>
public readonly record struct ExtractedAnswer(string? Text, ExtractionSource Source)
{
    public static ExtractedAnswer None => new(null, ExtractionSource.None);

    public bool Found => Text is not null;
}
