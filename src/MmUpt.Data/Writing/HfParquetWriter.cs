using Parquet;
using Parquet.Schema;
using Parquet.Serialization;

namespace MmUpt.Data;

/// <summary>
/// Writes records as Parquet in the Hugging Face layout (what <c>datasets</c> writes for an <c>Image</c> list feature):
/// <c>id</c>, <c>images</c> = list&lt;struct{bytes, path}&gt; with pyarrow's list/element naming, <c>problem</c>,
/// <c>answer</c> (nullable). Each chunk of <c>rowGroupSize</c> records becomes one row group, appended in turn.
/// </summary>
public static class HfParquetWriter
{
    public static readonly ParquetSchema Schema = new(
        new DataField<string>("id"),
        new ListField("images", new StructField("element", new DataField<byte[]>("bytes"), new DataField<string>("path")), "list"),
        new DataField<string>("problem"),
        new DataField<string>("answer"));

    public static async Task<int> WriteAsync(string path, IEnumerable<DataRecord> records, int rowGroupSize = 1000,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rowGroupSize);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await using var stream = new FileStream(path, FileMode.Create, FileAccess.ReadWrite);
        var total = 0;
        foreach (var chunk in records.Chunk(rowGroupSize))
        {
            var rows = chunk.Select(Row).ToList();
            var options = new ParquetOptions { RowGroupSize = rowGroupSize, Append = total > 0 };
            await ParquetSerializer.SerializeUntypedAsync(rows, Schema, stream, options, null, cancellationToken);
            total += chunk.Length;
        }
        if (total == 0)
        {
            await ParquetSerializer.SerializeUntypedAsync([], Schema, stream, null, null, cancellationToken);
        }
        return total;
    }

    private static IDictionary<string, object?> Row(DataRecord r) => new Dictionary<string, object?>
    {
        ["id"] = r.Id,
        // Parquet.Net 6 takes binary values of untyped rows as ReadOnlyMemory<byte>?.
        ["images"] = r.Images.Select(i => new Dictionary<string, object?>
        {
            ["bytes"] = (ReadOnlyMemory<byte>?)i.Bytes,
            ["path"] = i.SourcePath is null ? null : Path.GetFileName(i.SourcePath),
        }).ToList(),
        ["problem"] = r.Problem,
        ["answer"] = r.Answer,
    };
}
