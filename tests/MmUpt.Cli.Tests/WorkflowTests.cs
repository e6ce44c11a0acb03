using System.Text.Json;

namespace MmUpt.Cli.Tests;

/// <summary>
/// The tools in the order a user runs them, through the built `mmupt`: init → export → data synth-tasks → eval → synth.
/// The model is random, so accuracies are not asserted; files, formats, counts and exit codes are.
/// </summary>
public sealed class WorkflowTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mmupt-workflow-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string At(string name) => Path.Combine(_root, name);

    private static async Task<string> Ok(params string[] args)
    {
        var (code, stdout, stderr) = await Mmupt.RunAsync(args);
        Assert.True(code == 0, $"mmupt {string.Join(' ', args)} exited {code}: {stderr}");
        return stdout;
    }

    [Fact]
    public async Task Init_export_synth_tasks_eval_and_synth_chain_together()
    {
        await Ok("init", "--preset", "tiny", "--out", At("hf"), "--seed", "3");
        foreach (var file in new[] { "config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "preprocessor_config.json", "generation_config.json" })
        {
            Assert.True(File.Exists(Path.Combine(At("hf"), file)), file);
        }

        await Ok("export", "--checkpoint", At("hf"), "--out", At("onnx"));
        foreach (var file in new[] { "genai_config.json", "processor_config.json", "vision.onnx", "embedding.onnx", "decoder.onnx", "tokenizer.json" })
        {
            Assert.True(File.Exists(Path.Combine(At("onnx"), file)), file);
        }

        await Ok("data", "synth-tasks", "--out", At("data"), "--sft", "3", "--upt", "3", "--eval", "4", "--seed", "2");
        Assert.Equal(4, File.ReadAllLines(Path.Combine(At("data"), "eval.jsonl")).Length);

        var table = await Ok("eval", "--model", At("onnx"), "--data", Path.Combine(At("data"), "eval.jsonl"), "--samples", "3",
            "--max-new-tokens", "12", "--out", At("eval"));
        Assert.Contains("| all | 4 |", table);
        Assert.Matches(@"\| (count|add|compare) \| \d \|", table);   // one row per synthetic task kind (--group-by kind)
        using (var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(At("eval"), "eval.json"))))
        {
            Assert.Equal(3, report.RootElement.GetProperty("samplesPerProblem").GetInt32());
            Assert.Equal(4, report.RootElement.GetProperty("problems").GetArrayLength());
        }
        Assert.True(File.Exists(Path.Combine(At("eval"), "eval.md")));

        // A malformed row is reported with its line and skipped, or stops the run under --strict.
        var bad = Path.Combine(At("data"), "bad.jsonl");   // next to eval.jsonl, so its image paths resolve
        await File.WriteAllLinesAsync(bad, [.. File.ReadAllLines(Path.Combine(At("data"), "eval.jsonl")).Take(2), "{\"id\": 5, \"problem\": }"]);
        var (code, _, stderr) = await Mmupt.RunAsync("eval", "--model", At("onnx"), "--data", bad, "--samples", "1", "--max-new-tokens", "4", "--out", At("eval-bad"));
        Assert.Equal(0, code);
        Assert.Contains("bad.jsonl line 3", stderr);
        Assert.Contains("1 malformed row(s) skipped", stderr);
        (code, _, stderr) = await Mmupt.RunAsync("eval", "--model", At("onnx"), "--data", bad, "--samples", "1", "--max-new-tokens", "4", "--out", At("eval-bad"), "--strict");
        Assert.Equal(1, code);
        Assert.Contains("error: ", stderr);

        var synth = await Ok("synth", "--strategy", "in-context", "--model", At("onnx"), "--data", Path.Combine(At("data"), "sft.jsonl"),
            "--samples", "2", "--max-new-tokens", "16", "--out", At("synth.jsonl"));
        Assert.Matches(@"wrote \d+ question\(s\)", synth);
        Assert.Contains("filter: Accepted", synth);
        var inspect = await Ok("data", "inspect", "--data", At("synth.jsonl"));
        Assert.Contains("0 skipped", inspect);
    }

    [Fact]
    public async Task Bad_inputs_to_the_tools_are_one_line_errors()
    {
        var (code, _, stderr) = await Mmupt.RunAsync("export", "--checkpoint", At("missing"), "--out", At("x"));
        Assert.NotEqual(0, code);
        Assert.StartsWith("error: ", stderr);

        (code, _, stderr) = await Mmupt.RunAsync("eval", "--model", At("missing"), "--data", At("missing.jsonl"));
        Assert.Equal(2, code);
        Assert.Contains("--data: file not found", stderr);

        await File.WriteAllTextAsync(At("d.jsonl"), "{\"id\":\"a\",\"problem\":\"1+1?\",\"answer\":\"2\"}\n");
        (code, _, stderr) = await Mmupt.RunAsync("eval", "--model", At("missing"), "--data", At("d.jsonl"));
        Assert.Equal(2, code);
        Assert.Contains("--model", stderr);
        Assert.Contains("genai_config.json", stderr);

        (code, _, stderr) = await Mmupt.RunAsync("eval", "--model", At("missing"), "--data", At("d.jsonl"), "--temperature", "0");
        Assert.Equal(2, code);
        Assert.Contains("--temperature:", stderr);

        (code, _, stderr) = await Mmupt.RunAsync("init", "--preset", "huge", "--out", At("h"));
        Assert.Equal(2, code);
        Assert.Contains("huge", stderr);
    }
}
