using MmUpt.Data;
namespace MmUpt.SelfGeneration;

/// <summary>
/// Our prompt texts for self-generation (the paper published none), and turning an accepted question into a dataset row.
/// Both prompts end by asking for the question after <see cref="Marker"/>, which <see cref="QuestionExtractor"/> looks for.
/// </summary>
public static class SynthPrompts
{
    public const string Marker = "New question:";

    public const string InContextText =
        "Here is a question about the image and its answer.\n" +
        "Question: {question}\n" +
        "Answer: {answer}\n" +
        "Write one new question about the same image. It must ask for something different from the question above, " +
        "have a single short answer that can be read or worked out from the image, and must not contain its answer. " +
        "Reply with the new question only, after \"" + Marker + "\".";

    public const string DirectText =
        "Write one question about the image. It must have a single short answer that can be read or worked out from the " +
        "image alone, and must not contain its answer. Reply with the question only, after \"" + Marker + "\".";

    /// <summary>The prompt for one seed record; its images go first, the seed's placeholders are removed from the quote.</summary>
    public static PromptSpec Build(SynthStrategy strategy, DataRecord seed, PromptTemplate template)
    {
        var text = strategy switch
        {
            SynthStrategy.InContext => InContextText
                .Replace("{question}", StripPlaceholders(seed.Problem), StringComparison.Ordinal)
                .Replace("{answer}", seed.Answer ?? throw new ArgumentException($"record {seed.Id}: in-context synthesis needs an answer"), StringComparison.Ordinal),
            SynthStrategy.Direct => DirectText,
            _ => throw new ArgumentOutOfRangeException(nameof(strategy)),
        };
        return template.RenderRaw($"{seed.Id}~synth", text, seed.Images);
    }

    /// <summary>An accepted question as an unlabelled row on the seed's images, readable by the dataset readers.</summary>
    public static DataRecord ToRecord(SynthStrategy strategy, DataRecord seed, string question, int index) =>
        new($"{seed.Id}~{(strategy == SynthStrategy.InContext ? "ic" : "direct")}{index}",
            string.Concat(Enumerable.Repeat(DataRecord.ImagePlaceholder, seed.Images.Count)) + question,
            null, seed.Images);

    private static string StripPlaceholders(string problem) =>
        problem.Replace(DataRecord.ImagePlaceholder, "", StringComparison.Ordinal).Trim();
}
