namespace MmUpt.Data;

/// <summary>
/// One dataset item in the EasyR1 shape: a problem text whose <c>&lt;image&gt;</c> placeholders refer to
/// <see cref="Images"/> in order, and an optional reference answer (never read during UPT).
/// </summary>
/// <param name="Id">The dataset id; JSONL <c>id</c> or Parquet <c>id</c>, else <c>FILE:ROW</c>.</param>
/// <param name="Problem">The question, with zero or one <c>&lt;image&gt;</c> per image.</param>
/// <param name="Answer">The reference answer, null when the set is unlabelled.</param>
/// <param name="Images">The encoded images in placeholder order.</param>
/// <param name="Fields">Other scalar fields of the row (JSONL), e.g. the synthetic tasks' <c>kind</c> and <c>level</c>;
/// carried for analysis (evaluation groups), never shown to the model. Null when the source has none.</param>
public sealed record DataRecord(string Id, string Problem, string? Answer, IReadOnlyList<ImageData> Images,
    IReadOnlyDictionary<string, string>? Fields = null)
{
    /// <summary>The literal that marks where an image goes in <see cref="Problem"/> (EasyR1 convention).</summary>
    public const string ImagePlaceholder = "<image>";

    /// <summary>How many <see cref="ImagePlaceholder"/>s the problem contains.</summary>
    public int PlaceholderCount => CountPlaceholders(Problem);

    public static int CountPlaceholders(string text)
    {
        var count = 0;
        for (var i = text.IndexOf(ImagePlaceholder, StringComparison.Ordinal); i >= 0;
             i = text.IndexOf(ImagePlaceholder, i + ImagePlaceholder.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }
}
