using MmUpt.Processing.Images;

namespace MmUpt.Data;

/// <summary>
/// Opens the reader that fits a file's extension: <c>.parquet</c>, or <c>.jsonl</c>/<c>.json</c>/<c>.ndjson</c>. Every
/// failure to open is a <see cref="DatasetFormatException"/> naming the file.
/// </summary>
public static class DatasetReaders
{
    public static Task<IDatasetReader> OpenAsync(string path, CancellationToken cancellationToken = default) =>
        OpenAsync(path, ImageLimits.Default, cancellationToken);

    /// <param name="images">Bounds on each row's images (file size, pixel count); a row over them is malformed.</param>
    public static async Task<IDatasetReader> OpenAsync(string path, ImageLimits images, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path))
        {
            throw new DatasetFormatException(path, null, Directory.Exists(path) ? "is a folder, not a dataset file" : "file not found");
        }
        try
        {
            return System.IO.Path.GetExtension(path).ToLowerInvariant() switch
            {
                ".parquet" => await ParquetDatasetReader.OpenAsync(path, images, cancellationToken),
                ".jsonl" or ".json" or ".ndjson" => await JsonlDatasetReader.OpenAsync(path, images, cancellationToken),
                var ext => throw new DatasetFormatException(path, null, $"unknown dataset extension '{ext}' (use .jsonl or .parquet)"),
            };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new DatasetFormatException(path, null, ex.Message);
        }
    }
}
