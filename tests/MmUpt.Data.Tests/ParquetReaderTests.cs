using MmUpt.Testing;
using Parquet.Schema;
using Parquet.Serialization;
using Parquet;

namespace MmUpt.Data.Tests;

public sealed class ParquetReaderTests
{
    [Fact]
    public async Task Round_trip_in_hf_layout_over_several_row_groups()
    {
        using var dir = new TempDir();
        var records = Enumerable.Range(0, 7).Select(i => TestImages.Record(i, images: 1 + i % 2, answer: i != 3)).ToList();
        await HfParquetWriter.WriteAsync(dir.File("train.parquet"), records, rowGroupSize: 3);

        await using var reader = await DatasetReaders.OpenAsync(dir.File("train.parquet"));
        Assert.Equal([3, 3, 1], reader.BlockSizes);
        var read = await Datasets.ReadAll(dir.File("train.parquet"));

        Assert.Equal(records.Select(r => (r.Id, r.Problem, r.Answer)), read.Select(r => (r.Id, r.Problem, r.Answer)));
        for (var i = 0; i < records.Count; i++)
        {
            Assert.Equal(records[i].Images.Select(im => im.Bytes), read[i].Images.Select(im => im.Bytes));
        }
    }

    [Fact]
    public async Task Reads_a_file_without_id_with_pyarrow_item_naming_and_reports_bad_rows_by_row_number()
    {
        using var dir = new TempDir();
        // As older pyarrow writes lists (element named "item"), and no id column, like hiyouga/geometry3k.
        var schema = new ParquetSchema(
            new ListField("images", new StructField("item", new DataField<byte[]>("bytes"), new DataField<string>("path")), "list"),
            new DataField<string>("problem"), new DataField<string>("answer"));
        var png = TestImages.Png(5);
        IDictionary<string, object?> Row(byte[] bytes, string? problem) => new Dictionary<string, object?>
        {
            ["images"] = new List<Dictionary<string, object?>> { new() { ["bytes"] = (ReadOnlyMemory<byte>?)bytes, ["path"] = "a.png" } },
            ["problem"] = problem,
            ["answer"] = "A",
        };
        await using (var fs = File.Create(dir.File("geo.parquet")))
        {
            await ParquetSerializer.SerializeUntypedAsync(
                [Row(png, "<image>ok"), Row([1, 2, 3, 4], "<image>bad bytes"), Row(png, null), Row(png, "<image>ok too")], schema, fs);
        }
        await using var reader = await DatasetReaders.OpenAsync(dir.File("geo.parquet"));
        var stream = DatasetStream.Start(reader, new DatasetStreamOptions { Shuffle = false });
        var kept = new List<DataRecord>();
        await foreach (var r in stream.ReadAsync()) kept.Add(r);

        Assert.Equal(["geo:0", "geo:3"], kept.Select(r => r.Id));
        Assert.Equal(png, kept[0].Images[0].Bytes);
        Assert.Equal("a.png", kept[0].Images[0].SourcePath);
        Assert.Equal(2, stream.SkippedRows);
        Assert.Equal($"{dir.File("geo.parquet")} row 1: images[0] bytes are not a PNG, JPEG, GIF, WebP or BMP file", stream.Problems[0]);
        Assert.Equal($"{dir.File("geo.parquet")} row 2: 'problem' is null or not a string", stream.Problems[1]);
    }

    [Fact]
    public async Task A_file_without_the_needed_columns_or_not_parquet_fails_at_open_naming_the_file()
    {
        using var dir = new TempDir();
        await using (var fs = File.Create(dir.File("q.parquet")))
        {
            await ParquetSerializer.SerializeUntypedAsync(
                [new Dictionary<string, object?> { ["question"] = "q" }], new ParquetSchema(new DataField<string>("question")), fs);
        }
        await File.WriteAllTextAsync(dir.File("junk.parquet"), "not parquet at all");

        var missing = await Assert.ThrowsAsync<DatasetFormatException>(() => DatasetReaders.OpenAsync(dir.File("q.parquet")));
        var junk = await Assert.ThrowsAsync<DatasetFormatException>(() => DatasetReaders.OpenAsync(dir.File("junk.parquet")));

        Assert.Equal($"{dir.File("q.parquet")}: no 'problem' column (columns: question)", missing.Message);
        Assert.StartsWith($"{dir.File("junk.parquet")}: not a readable Parquet file", junk.Message);
    }
}
