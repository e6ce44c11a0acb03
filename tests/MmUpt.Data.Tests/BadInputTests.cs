using System.Text;
using System.Text.Json;
using MmUpt.Processing.Images;
using MmUpt.Testing;

namespace MmUpt.Data.Tests;

/// <summary>
/// Issue 11, finding 6, at the reader: each bad row or image is one malformed row naming the file, line and problem,
/// skipped or fatal by policy; nothing else escapes the reader.
/// </summary>
public sealed class BadInputTests
{
    private static async Task<(List<DataRecord> Kept, List<string> Problems)> ReadSkippingAsync(string path, ImageLimits? limits = null)
    {
        await using var reader = await DatasetReaders.OpenAsync(path, limits ?? ImageLimits.Default);
        var stream = DatasetStream.Start(reader, new DatasetStreamOptions { Shuffle = false });
        var kept = new List<DataRecord>();
        await foreach (var r in stream.ReadAsync()) kept.Add(r);
        return (kept, [.. stream.Problems]);
    }

    private static string Row(string image) => JsonSerializer.Serialize(new { problem = "<image>q", answer = "1", image });

    [Fact]
    public async Task A_line_with_invalid_utf8_is_a_malformed_row_naming_the_line()
    {
        using var dir = new TempDir();
        var good = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { problem = "1+1?", answer = "2" }) + "\n");
        byte[] bad = [.. "{\"problem\": \"caf"u8, 0xC3, 0x28, .. "\", \"answer\": \"1\"}\n"u8];
        await File.WriteAllBytesAsync(dir.File("d.jsonl"), [.. good, .. bad, .. good]);

        var (kept, problems) = await ReadSkippingAsync(dir.File("d.jsonl"));

        Assert.Equal(2, kept.Count);
        Assert.Equal($"{dir.File("d.jsonl")} line 2: not valid UTF-8 (byte 17 of the line)", Assert.Single(problems));
    }

    [Fact]
    public async Task Images_that_cannot_be_decoded_or_processed_are_malformed_rows()
    {
        using var dir = new TempDir();
        await File.WriteAllBytesAsync(dir.File("garbage.png"), BadImages.GarbageBody());
        await File.WriteAllBytesAsync(dir.File("wide.png"), BadImages.Black(100_000, 1));
        await File.WriteAllBytesAsync(dir.File("tiny.png"), BadImages.Black(8, 8));
        await File.WriteAllBytesAsync(dir.File("ok.png"), TestImages.Png(3));
        await File.WriteAllLinesAsync(dir.File("d.jsonl"), [Row("garbage.png"), Row("wide.png"), Row("tiny.png"), Row("ok.png")]);

        var (kept, problems) = await ReadSkippingAsync(dir.File("d.jsonl"));

        Assert.Equal("d:4", Assert.Single(kept).Id);
        Assert.Equal(3, problems.Count);
        Assert.Contains("line 1: image 0 (", problems[0]);
        Assert.Contains("garbage.png): ", problems[0]);
        Assert.Contains("line 2: image 0 (", problems[1]);
        Assert.EndsWith("image of 100000x1 px has an aspect ratio over 200", problems[1]);
        Assert.EndsWith("image of 8x8 px is smaller than the 28-px factor on a side", problems[2]);
    }

    [Fact]
    public async Task A_huge_declared_pixel_count_is_refused_from_the_header()
    {
        using var dir = new TempDir();
        var huge = BadImages.Black(20_000, 20_000);
        Assert.InRange(huge.Length, 1, 2_000_000);   // 1.2 MB on disk for 400 MP
        await File.WriteAllBytesAsync(dir.File("huge.png"), huge);
        await File.WriteAllLinesAsync(dir.File("d.jsonl"), [Row("huge.png")]);

        var (kept, problems) = await ReadSkippingAsync(dir.File("d.jsonl"));

        Assert.Empty(kept);
        Assert.EndsWith("image of 20000x20000 px (400.0 MP) is over the limit of 50.0 MP", Assert.Single(problems));

        // The limit is an option: a lower one refuses a small image the same way.
        await File.WriteAllBytesAsync(dir.File("ok.png"), TestImages.Png(3, 56, 56));
        await File.WriteAllLinesAsync(dir.File("e.jsonl"), [Row("ok.png")]);
        (_, problems) = await ReadSkippingAsync(dir.File("e.jsonl"), new ImageLimits { MaxPixels = 1000 });
        Assert.EndsWith("image of 56x56 px (0.0 MP) is over the limit of 0.0 MP", Assert.Single(problems));
    }

    [Fact]
    public async Task A_device_or_an_oversized_file_as_an_image_is_read_only_as_far_as_needed()
    {
        using var dir = new TempDir();
        var big = TestImages.Png(3).Concat(new byte[5000]).ToArray();   // a PNG signature, then more than the limit
        await File.WriteAllBytesAsync(dir.File("big.png"), big);
        await File.WriteAllLinesAsync(dir.File("d.jsonl"), [Row("/dev/zero"), Row("big.png")]);

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var (kept, problems) = await ReadSkippingAsync(dir.File("d.jsonl"), new ImageLimits { MaxFileBytes = 4096 });
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Empty(kept);
        Assert.EndsWith("field 'image': /dev/zero is not a PNG, JPEG, GIF, WebP or BMP file", problems[0]);
        Assert.EndsWith($"big.png is larger than the image file limit of 4,096 bytes", problems[1]);
        Assert.InRange(allocated, 0, 16_000_000);
    }

    [Fact]
    public async Task A_file_that_is_not_parquet_or_is_a_folder_is_one_dataset_error()
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(dir.File("x.parquet"), "{\"problem\": \"q\"}\n");
        Directory.CreateDirectory(dir.File("folder.jsonl"));

        var ex = await Assert.ThrowsAsync<DatasetFormatException>(() => DatasetReaders.OpenAsync(dir.File("x.parquet")));
        Assert.Contains("not a readable Parquet file", ex.Message);
        ex = await Assert.ThrowsAsync<DatasetFormatException>(() => DatasetReaders.OpenAsync(dir.File("folder.jsonl")));
        Assert.EndsWith("is a folder, not a dataset file", ex.Message);
    }
}
