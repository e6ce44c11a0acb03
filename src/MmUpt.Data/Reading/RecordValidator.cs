namespace MmUpt.Data;

/// <summary>The checks every reader applies to a parsed row, so JSONL and Parquet reject the same things.</summary>
public static class RecordValidator
{
    /// <summary>Null when the record is usable, else the reason.</summary>
    public static string? Validate(DataRecord record)
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
        }
        return null;
    }
}
