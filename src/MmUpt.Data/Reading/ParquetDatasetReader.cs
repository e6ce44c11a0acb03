using System.Runtime.CompilerServices;
using Parquet;
using Parquet.Serialization;
using MmUpt.Processing.Images;

namespace MmUpt.Data;

/// <summary>
/// Parquet in the Hugging Face layout of geometry3k / GeoQA / MMR1: <c>images</c> = list of struct {bytes, path}
/// (also accepted: one struct, a binary, or a list of binaries; or the column named <c>image</c>), <c>problem</c>,
/// <c>answer</c> (optional), <c>id</c> (optional). One row group is in memory at a time.
/// </summary>
public sealed class ParquetDatasetReader : IDatasetReader
{
    private readonly FileStream _stream;
    private readonly long[] _firstRow;
    private readonly string _stem;
    private readonly string _directory;
    private readonly ImageLimits _images;

    private ParquetDatasetReader(string path, FileStream stream, int[] sizes, ImageLimits images)
    {
        _images = images;
        Path = path;
        _stream = stream;
        BlockSizes = sizes;
        _firstRow = new long[sizes.Length];
        for (var i = 1; i < sizes.Length; i++) _firstRow[i] = _firstRow[i - 1] + sizes[i - 1];
        _stem = System.IO.Path.GetFileNameWithoutExtension(path);
        _directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
    }

    public string Path { get; }

    public IReadOnlyList<int> BlockSizes { get; }

    public static async Task<ParquetDatasetReader> OpenAsync(string path, ImageLimits images, CancellationToken cancellationToken = default)
    {
        var stream = File.OpenRead(path);
        try
        {
            await using var reader = await ParquetReader.CreateAsync(stream, null, leaveStreamOpen: true, cancellationToken);
            var names = reader.Schema.Fields.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
            if (!names.Contains("problem"))
            {
                throw new DatasetFormatException(path, null, $"no 'problem' column (columns: {string.Join(", ", names)})");
            }
            if (!names.Contains("images") && !names.Contains("image"))
            {
                throw new DatasetFormatException(path, null, $"no 'images' or 'image' column (columns: {string.Join(", ", names)})");
            }
            var sizes = reader.RowGroups.Select(g => checked((int)g.RowCount)).ToArray();
            return new ParquetDatasetReader(path, stream, sizes, images);
        }
        catch (Exception ex) when (ex is not DatasetFormatException)
        {
            await stream.DisposeAsync();
            throw new DatasetFormatException(path, null, $"not a readable Parquet file: {ex.Message}");
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    public async IAsyncEnumerable<RowResult> ReadAsync(int block, IReadOnlyList<int> rows,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(block, BlockSizes.Count);
        var (data, error) = await ReadGroupAsync(block, cancellationToken);
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var global = _firstRow[block] + row;
            var location = $"row {global}";
            yield return data is null || row >= data.Count
                ? new RowResult(location, null, error ?? $"row group {block} has fewer rows than its metadata says")
                : Parse(data[row], location, global);
        }
    }

    // A corrupt row group (bad page header, bad compression, lengths past the end) makes each of its rows malformed,
    // so the stream's skip-or-fail policy applies to it as to any bad row. Parquet.Net's failures have no common type.
    private async Task<(IList<Dictionary<string, object>>? Rows, string? Error)> ReadGroupAsync(int block, CancellationToken cancellationToken)
    {
        try
        {
            _stream.Position = 0;
            return ((await ParquetSerializer.DeserializeUntypedAsync(_stream, null, block, cancellationToken)).Data, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return (null, $"row group {block} cannot be read: {ex.Message}");
        }
    }

    private RowResult Parse(Dictionary<string, object> row, string location, long global)
    {
        try
        {
            var record = HfRowParser.Parse(row, $"{_stem}:{global}", _directory, _images);
            var error = RecordValidator.Validate(record, _images);
            return new RowResult(location, error is null ? record : null, error);
        }
        catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException or ArgumentException or InvalidCastException)
        {
            return new RowResult(location, null, ex.Message);
        }
    }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();
}
