namespace MmUpt.Data;

/// <summary>Opens the reader that fits a file's extension: <c>.parquet</c>, or <c>.jsonl</c>/<c>.json</c>/<c>.ndjson</c>.</summary>
public static class DatasetReaders
{
    public static async Task<IDatasetReader> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path))
        {
            throw new DatasetFormatException(path, null, "file not found");
        }
        return System.IO.Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".parquet" => await ParquetDatasetReader.OpenAsync(path, cancellationToken),
            ".jsonl" or ".json" or ".ndjson" => await JsonlDatasetReader.OpenAsync(path, cancellationToken),
            var ext => throw new DatasetFormatException(path, null, $"unknown dataset extension '{ext}' (use .jsonl or .parquet)"),
        };
    }
}
