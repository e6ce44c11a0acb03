using System.Runtime.CompilerServices;
using Parquet;
using Parquet.Serialization;

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

    private ParquetDatasetReader(string path, FileStream stream, int[] sizes)
    {
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

    public static async Task<ParquetDatasetReader> OpenAsync(string path, CancellationToken cancellationToken = default)
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
            return new ParquetDatasetReader(path, stream, sizes);
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
        _stream.Position = 0;
        var group = await ParquetSerializer.DeserializeUntypedAsync(_stream, null, block, cancellationToken);
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var global = _firstRow[block] + row;
            var location = $"row {global}";
            yield return Parse(group.Data[row], location, global);
        }
    }

    private RowResult Parse(Dictionary<string, object> row, string location, long global)
    {
        try
        {
            var record = HfRowParser.Parse(row, $"{_stem}:{global}", _directory);
            var error = RecordValidator.Validate(record);
            return new RowResult(location, error is null ? record : null, error);
        }
        catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
        {
            return new RowResult(location, null, ex.Message);
        }
    }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();
}
