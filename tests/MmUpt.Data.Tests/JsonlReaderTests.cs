using System.Text.Json;
using MmUpt.Testing;

namespace MmUpt.Data.Tests;

public sealed class JsonlReaderTests
{
    [Theory]
    [InlineData(JsonlImageMode.Files)]
    [InlineData(JsonlImageMode.Inline)]
    public async Task Round_trip_keeps_ids_problems_answers_and_image_bytes(JsonlImageMode mode)
    {
        using var dir = new TempDir();
        var records = new[] { TestImages.Record(1), TestImages.Record(2, images: 2), TestImages.Record(3, answer: false), TestImages.Record(4, images: 0) };
        await using (var writer = new JsonlDatasetWriter(dir.File("set.jsonl"), mode))
        {
            foreach (var r in records) await writer.WriteAsync(r);
        }

        var read = await Datasets.ReadAll(dir.File("set.jsonl"));

        Assert.Equal(records.Select(r => (r.Id, r.Problem, r.Answer)), read.Select(r => (r.Id, r.Problem, r.Answer)));
        for (var i = 0; i < records.Length; i++)
        {
            Assert.Equal(records[i].Images.Select(im => im.Bytes), read[i].Images.Select(im => im.Bytes));
        }
        Assert.Equal(mode == JsonlImageMode.Files, read[0].Images[0].SourcePath is not null);
    }

    [Fact]
    public async Task Other_scalar_fields_are_kept_for_analysis_and_nested_ones_are_not()
    {
        using var dir = new TempDir();
        await File.WriteAllLinesAsync(dir.File("set.jsonl"),
        [
            JsonSerializer.Serialize(new { id = "a", problem = "p", answer = "1", kind = "count", level = 2, hard = true, meta = new { x = 1 } }),
            JsonSerializer.Serialize(new { id = "b", problem = "q" }),
        ]);
        var read = await Datasets.ReadAll(dir.File("set.jsonl"));
        Assert.Equal(new Dictionary<string, string> { ["kind"] = "count", ["level"] = "2", ["hard"] = "true" }, read[0].Fields);
        Assert.Null(read[1].Fields);
    }

    [Fact]
    public async Task Reads_every_image_spelling_and_numeric_fields()
    {
        using var dir = new TempDir();
        var png = TestImages.Png(40);
        var jpeg = TestImages.Jpeg(90);
        Directory.CreateDirectory(dir.File("img"));
        await File.WriteAllBytesAsync(dir.File("img/a.png"), png);
        var b64 = Convert.ToBase64String(png);
        string[] lines =
        [
            JsonSerializer.Serialize(new { id = 7, problem = "<image>p", answer = 12, image = "img/a.png" }),
            JsonSerializer.Serialize(new { problem = "p", images = new[] { $"data:image/jpeg;base64,{Convert.ToBase64String(jpeg)}" } }),
            JsonSerializer.Serialize(new { problem = "p", image = b64 }),
            "",
            JsonSerializer.Serialize(new { problem = "p", images = new object[] { new { bytes = b64, path = "x.png" }, new { path = "img/a.png" } } }),
            JsonSerializer.Serialize(new { problem = "p", image = "file://" + dir.File("img/a.png") }),
        ];
        await File.WriteAllLinesAsync(dir.File("mixed.jsonl"), lines);

        var read = await Datasets.ReadAll(dir.File("mixed.jsonl"));

        Assert.Equal(5, read.Count);
        Assert.Equal(("7", "12"), (read[0].Id, read[0].Answer));
        Assert.Equal("mixed:2", read[1].Id); // no id: FILE:LINE
        Assert.Equal(jpeg, read[1].Images[0].Bytes);
        Assert.Equal("jpeg", read[1].Images[0].Format);
        Assert.Equal(png, read[2].Images[0].Bytes);
        Assert.Null(read[2].Images[0].SourcePath);
        Assert.Equal("mixed:5", read[3].Id); // the blank line 4 is not a row, line numbers still count it
        Assert.Equal([png, png], read[3].Images.Select(i => i.Bytes));
        Assert.Equal(png, read[4].Images[0].Bytes);
    }

    [Fact]
    public async Task A_malformed_line_is_reported_with_file_and_line_and_skipped_or_fatal()
    {
        using var dir = new TempDir();
        var b64 = Convert.ToBase64String(TestImages.Png(1));
        var good = JsonSerializer.Serialize(new { problem = "<image>ok", image = b64 });
        await File.WriteAllLinesAsync(dir.File("bad.jsonl"),
        [
            good,
            "{\"problem\": \"<image>broken\", \"image\": ",                                      // line 2: not JSON
            JsonSerializer.Serialize(new { problem = "<image><image>two", image = b64 }),      // line 3: 2 placeholders, 1 image
            JsonSerializer.Serialize(new { problem = "x", image = "missing.png" }),            // line 4: no such file
            JsonSerializer.Serialize(new { answer = "1", image = b64 }),                       // line 5: no problem
            good,
        ]);
        await using var reader = await DatasetReaders.OpenAsync(dir.File("bad.jsonl"));

        var skipping = DatasetStream.Start(reader, new DatasetStreamOptions { Shuffle = false });
        var kept = new List<DataRecord>();
        await foreach (var r in skipping.ReadAsync()) kept.Add(r);

        Assert.Equal(["bad:1", "bad:6"], kept.Select(r => r.Id));
        Assert.Equal(4, skipping.SkippedRows);
        Assert.Equal(4, skipping.Problems.Count);
        Assert.StartsWith(dir.File("bad.jsonl") + " line 2: ", skipping.Problems[0]);
        Assert.Contains("line 3: problem has 2 <image> placeholder(s) but the row has 1 image(s)", skipping.Problems[1]);
        Assert.Contains("line 4: field 'image': image 'missing.png' is neither a file", skipping.Problems[2]);
        Assert.Contains("line 5: field 'problem' is missing", skipping.Problems[3]);

        var failing = DatasetStream.Start(reader, new DatasetStreamOptions { Shuffle = false, Malformed = MalformedRowPolicy.Fail });
        var ex = await Assert.ThrowsAsync<DatasetFormatException>(async () => { await foreach (var _ in failing.ReadAsync()) { } });
        Assert.Equal("line 2", ex.Location);
        Assert.StartsWith(dir.File("bad.jsonl") + " line 2: ", ex.Message);
    }
}
