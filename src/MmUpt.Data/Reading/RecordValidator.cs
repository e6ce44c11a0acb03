using MmUpt.Processing.Images;

namespace MmUpt.Data;

/// <summary>The checks every reader applies to a parsed row, so JSONL and Parquet reject the same things.</summary>
public static class RecordValidator
{
    /// <summary>Null when the record is usable, else the reason.</summary>
    public static string? Validate(DataRecord record) => Validate(record, ImageLimits.Default);

    /// <summary>
    /// Null when the record is usable, else the reason. Each image must decode completely within <paramref name="limits"/>
    /// and have a shape the Qwen2.5-VL processor accepts (<see cref="SmartResize.Problem"/>), checked on the header first:
    /// a bad image is then a malformed row here, with its file and row, rather than a failure deep in a sampler.
    /// </summary>
    public static string? Validate(DataRecord record, ImageLimits limits)
    {
        if (string.IsNullOrWhiteSpace(record.Problem))
        {
            return "problem is empty";
        }
        var placeholders = record.PlaceholderCount;
        if (placeholders > 0 && placeholders != record.Images.Count)
        {
            // With no placeholder the images go first (PromptTemplate); with some, each must have its image.
            return $"problem has {placeholders} {DataRecord.ImagePlaceholder} placeholder(s) but the row has {record.Images.Count} image(s)";
        }
        for (var i = 0; i < record.Images.Count; i++)
        {
            if (record.Images[i].Format is null)
            {
                return $"image {i} is not a PNG, JPEG, GIF, WebP or BMP file";
            }
            if (ImageProblem(record.Images[i].Bytes, limits) is { } problem)
            {
                return $"image {i}{(record.Images[i].SourcePath is { } p ? $" ({p})" : "")}: {problem}";
            }
        }
        return null;
    }

    private static string? ImageProblem(byte[] encoded, ImageLimits limits)
    {
        try
        {
            var (width, height) = ImageDecoder.ReadHeader(encoded, limits);
            if (SmartResize.Problem(height, width) is { } problem)
            {
                return problem;
            }
            using var pixels = ImageDecoder.Decode(encoded, limits);
            return null;
        }
        catch (InvalidImageException ex)
        {
            return ex.Message;
        }
    }
}
