using System.Text;
using System.Text.Json;
using MmUpt.Testing;

namespace MmUpt.Data.Tests;

/// <summary>
/// Seeded corruptions of datasets and their images, read in-process (the CLI's process-level fuzz test covers the
/// exit-code and stderr contract on a sample): whatever the bytes, a reader either yields records or malformed rows, or
/// refuses the whole file with a <see cref="DatasetFormatException"/>; no other exception escapes.
/// </summary>
public sealed class DatasetFuzzTests
{
    private const int Cases = 300;

    [Fact]
    public async Task Corrupted_jsonl_rows_and_images_are_malformed_rows_never_exceptions()
    {
        using var dir = new TempDir();
        var png = TestImages.Png(9, 56, 56);
        var template = JsonSerializer.Serialize(new { id = "r", problem = "<image>How many?", answer = "3", image = "img.png", kind = "count" });
        var mutator = new Mutator(seed: 11);
        var lines = new List<byte[]>();
        for (var i = 0; i < Cases; i++)
        {
            // Half the rows corrupt the row itself, half point at a corrupted copy of the image.
            if (i % 2 == 0)
            {
                lines.Add(mutator.AnyJson(template, out _));
            }
            else
            {
                await File.WriteAllBytesAsync(dir.File($"img{i}.png"), mutator.Bytes(png, out _));
                lines.Add(Encoding.UTF8.GetBytes(template.Replace("img.png", $"img{i}.png")));
            }
        }
        await File.WriteAllBytesAsync(dir.File("fuzz.jsonl"), [.. lines.SelectMany(l => l.Where(b => b != (byte)'\n').Append((byte)'\n'))]);

        await using var reader = await DatasetReaders.OpenAsync(dir.File("fuzz.jsonl"));
        var stream = DatasetStream.Start(reader, new DatasetStreamOptions { Shuffle = false, MaxReportedProblems = Cases });
        var kept = 0;
        await foreach (var _ in stream.ReadAsync()) kept++;

        Assert.Equal(stream.Rows, kept + stream.SkippedRows);
        Assert.True(stream.SkippedRows > Cases / 4, $"only {stream.SkippedRows} of {Cases} corrupted rows were refused");
        Assert.All(stream.Problems, p => Assert.Matches(@" line \d+: \S", p));
    }

    [Fact]
    public async Task Corrupted_parquet_files_are_refused_or_read_row_by_row()
    {
        using var dir = new TempDir();
        var records = Enumerable.Range(0, 6).Select(i => TestImages.Record(i)).ToList();
        await HfParquetWriter.WriteAsync(dir.File("ok.parquet"), records, rowGroupSize: 2);
        var valid = await File.ReadAllBytesAsync(dir.File("ok.parquet"));
        var mutator = new Mutator(seed: 12);
        var refused = 0;
        for (var i = 0; i < 100; i++)
        {
            var path = dir.File($"f{i}.parquet");
            await File.WriteAllBytesAsync(path, mutator.Bytes(valid, out var kind));
            try
            {
                await using var reader = await DatasetReaders.OpenAsync(path);
                var stream = DatasetStream.Start(reader, new DatasetStreamOptions { Shuffle = false });
                await foreach (var _ in stream.ReadAsync()) { }
            }
            catch (DatasetFormatException ex)
            {
                Assert.StartsWith(path, ex.Message);
                refused++;
            }
            catch (Exception ex)
            {
                Assert.Fail($"case {i} ({kind}): {ex.GetType().Name}: {ex.Message}");
            }
        }
        Assert.InRange(refused, 1, 100);
    }
}
