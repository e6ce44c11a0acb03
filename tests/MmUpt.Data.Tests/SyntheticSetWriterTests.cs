using System.Text.Json;
using MmUpt.Testing;

namespace MmUpt.Data.Tests;

public sealed class SyntheticSetWriterTests
{
    [Fact]
    public async Task Writes_three_readable_splits_with_upt_answers_withheld()
    {
        using var dir = new TempDir();
        var options = new SyntheticSetOptions { Seed = 2, SftCount = 5, UptCount = 8, EvalCount = 4, Kinds = [SyntheticTaskKind.Count, SyntheticTaskKind.Compare] };
        var progress = 0;

        var summary = await SyntheticSetWriter.WriteAsync(dir.Path, options, parquet: true, (_, _) => progress++);

        var sft = await Datasets.ReadAll(dir.File("sft.jsonl"));
        var upt = await Datasets.ReadAll(dir.File("upt.jsonl"));
        var eval = await Datasets.ReadAll(dir.File("eval.jsonl"));
        var evalParquet = await Datasets.ReadAll(dir.File("eval.parquet"));
        var labels = (await File.ReadAllLinesAsync(dir.File("upt-labels.jsonl"))).Select(l => JsonDocument.Parse(l).RootElement).ToList();

        Assert.Equal((5, 8, 4), (sft.Count, upt.Count, eval.Count));
        Assert.Equal(17, progress);
        Assert.Equal(new Dictionary<string, int> { ["sft"] = 5, ["upt"] = 8, ["eval"] = 4 }, summary.Splits);
        Assert.All(sft.Concat(eval), r => Assert.NotNull(r.Answer));
        Assert.All(upt, r => Assert.Null(r.Answer));
        Assert.Equal(upt.Select(r => r.Id), labels.Select(l => l.GetProperty("id").GetString()));
        for (var i = 0; i < upt.Count; i++)
        {
            Assert.Equal(labels[i].GetProperty("answer").GetString(), TaskReader.Solve(upt[i].Problem, upt[i].Images[0].Bytes));
        }
        Assert.Equal(eval.Select(r => (r.Id, r.Problem, r.Answer)), evalParquet.Select(r => (r.Id, r.Problem, r.Answer)));
        Assert.Equal(eval.Select(r => r.Images[0].Bytes), evalParquet.Select(r => r.Images[0].Bytes));
        Assert.True(File.Exists(dir.File("images/eval/eval-000000.png")));
        Assert.True(File.Exists(dir.File("manifest.json")));
    }

    [Fact]
    public async Task A_dev_split_is_labelled_and_shares_no_task_with_the_others()
    {
        using var dir = new TempDir();
        var options = new SyntheticSetOptions { Seed = 3, SftCount = 6, UptCount = 6, EvalCount = 6, DevCount = 5 };

        var summary = await SyntheticSetWriter.WriteAsync(dir.Path, options);

        var dev = await Datasets.ReadAll(dir.File("dev.jsonl"));
        Assert.Equal(5, summary.Splits["dev"]);
        Assert.Equal(5, dev.Count);
        Assert.All(dev, r => Assert.Equal(TaskReader.Solve(r.Problem, r.Images[0].Bytes), r.Answer));
        var others = new List<DataRecord>();
        foreach (var split in new[] { "sft", "upt", "eval" }) others.AddRange(await Datasets.ReadAll(dir.File($"{split}.jsonl")));
        var seen = others.Select(r => Convert.ToBase64String(r.Images[0].Bytes)).ToHashSet();
        Assert.All(dev, r => Assert.DoesNotContain(Convert.ToBase64String(r.Images[0].Bytes), seen));
        Assert.All(dev, r => Assert.StartsWith("dev-", r.Id));
    }
}
