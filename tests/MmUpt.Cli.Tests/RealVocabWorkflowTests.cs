using System.Diagnostics;
using System.Text.Json.Nodes;
using MmUpt.Testing;
using Xunit.Abstractions;

namespace MmUpt.Cli.Tests;

/// <summary>
/// The user chain on Qwen's real vocabulary (151,936 logits, added tokens at 151643..), through the built `mmupt`:
/// init --preset real-vocab → export (weights as external data, as replicas serve them) → data synth-tasks → eval → one
/// GRPO step of <c>mmupt train</c> over a voting service and a rollout replica (real processes on loopback), which
/// publishes the trained weights as a version and syncs the replica to it. Each step's wall time is printed, not asserted.
/// </summary>
public sealed class RealVocabWorkflowTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<string> Ok(params string[] args)
    {
        var clock = Stopwatch.StartNew();
        var (code, stdout, stderr) = await Mmupt.RunAsync(args);
        output.WriteLine($"mmupt {args[0]} {(args[0] == "data" ? args[1] : "")}: {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(code == 0, $"mmupt {string.Join(' ', args)} exited {code}: {stderr}");
        return stdout;
    }

    [Fact]
    public async Task Init_export_eval_and_a_grpo_step_run_on_the_real_vocabulary()
    {
        var tokenizer = RealQwenTokenizer.TokenizerJsonPath;
        var init = await Ok("init", "--preset", "real-vocab", "--tokenizer", tokenizer, "--out", _dir.File("hf"), "--seed", "4");
        Assert.Contains("vocab 151936", init);
        Assert.Contains("dropped 4 added token(s) Qwen2.5-VL does not have: <tool_response> </tool_response> <think> </think>", init);

        await Ok("export", "--checkpoint", _dir.File("hf"), "--out", _dir.File("onnx"), "--external-data", "always");
        var genai = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_dir.File("onnx"), "genai_config.json")))!["model"]!;
        Assert.Equal(151_936, genai["vocab_size"]!.GetValue<int>());
        Assert.Equal([151_645, 151_643], genai["eos_token_id"]!.AsArray().Select(e => e!.GetValue<int>()));

        await Ok("data", "synth-tasks", "--out", _dir.File("data"), "--sft", "1", "--upt", "2", "--eval", "3", "--seed", "2");
        var table = await Ok("eval", "--model", _dir.File("onnx"), "--data", Path.Combine(_dir.File("data"), "eval.jsonl"),
            "--samples", "2", "--max-new-tokens", "8", "--out", _dir.File("eval"));
        Assert.Contains("| all | 3 |", table);

        var clock = Stopwatch.StartNew();
        var (vote, voteAddress) = await Mmupt.StartServerAsync("vote", "--port", "0");
        await using var _ = vote;
        var voting = voteAddress.ToString().TrimEnd('/');
        var (replica, replicaAddress) = await Mmupt.StartServerAsync("rollout", "--port", "0", "--model", _dir.File("onnx"), "--voting", voting);
        await using var __ = replica;
        var run = _dir.File("run");
        var recipe = _dir.File("recipe.json");
        await File.WriteAllTextAsync(recipe, $$"""
            {
              "Train": {
                "Checkpoint": "{{_dir.File("hf")}}", "Out": "{{run}}", "Voting": "{{voting}}",
                "PromptsPerStep": 2, "GroupSize": 4, "MaxNewTokens": 8,
                "Replicas": { "Addresses": [ "{{replicaAddress.ToString().TrimEnd('/')}}" ], "CallDeadline": "00:02:00" },
                "Stages": [ { "Kind": "Upt", "Data": "{{Path.Combine(_dir.File("data"), "upt.jsonl")}}", "Steps": 1 } ]
              },
              "Guard": { "Enabled": false },
              "Learner": { "Threads": 1, "Trainer": { "LearningRate": 0.0001, "MicroBatchSize": 8 } }
            }
            """);
        string log;
        var (train, _) = await Mmupt.StartServerAsync("train", "--config", recipe, "--port", "0");
        await using (train)
        {
            Assert.True(await train.WaitForExitAsync(TimeSpan.FromMinutes(8)) == 0, $"mmupt train failed: {train.Stderr}");
            output.WriteLine($"mmupt train (one UPT step, with its vote and rollout servers): {clock.Elapsed.TotalSeconds:F1} s");
            log = train.Stdout;
        }
        var step = JsonNode.Parse(File.ReadLines(Path.Combine(run, "steps.jsonl")).Single())!;
        Assert.Equal(1, (long)step["Step"]!);
        Assert.Equal(2, (int)step["Votes"]!["Groups"]!);
        var summary = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(run, "run.json")))!;
        Assert.Equal("completed", (string)summary["Status"]!);
        Assert.Equal(2, (long)summary["GroupsTrained"]!);
        // The starting weights are published as v1 before the step; the trained step's weights are the next version,
        // written by the weights publisher (the export's streaming writer) and loaded by the replica.
        var final = (ulong)summary["FinalVersion"]!;
        Assert.True(final >= 2, $"final version {final}");
        Assert.Contains($"synced to v{final}", log);
    }

    [Fact]
    public async Task The_real_vocab_preset_needs_a_tokenizer_and_names_the_flag()
    {
        var (code, _, stderr) = await Mmupt.RunAsync("init", "--preset", "real-vocab", "--out", _dir.File("a"));
        Assert.Equal(2, code);
        Assert.StartsWith("error: --tokenizer:", stderr);

        (code, _, stderr) = await Mmupt.RunAsync("init", "--preset", "real-vocab", "--tokenizer", _dir.File("none.json"), "--out", _dir.File("b"));
        Assert.Equal(2, code);
        Assert.Contains("none.json does not exist", stderr);

        await File.WriteAllTextAsync(_dir.File("bad.json"), "{\"model\": {\"type\": \"Unigram\"}}");
        (code, _, stderr) = await Mmupt.RunAsync("init", "--preset", "real-vocab", "--tokenizer", _dir.File("bad.json"), "--out", _dir.File("c"));
        Assert.Equal(2, code);
        Assert.Contains("only BPE", stderr);
        Assert.Single(stderr.Trim().Split('\n'));

        (code, _, stderr) = await Mmupt.RunAsync("init", "--preset", "tiny", "--tokenizer", _dir.File("bad.json"), "--out", _dir.File("d"));
        Assert.Equal(2, code);
        Assert.Contains("only --preset real-vocab takes a tokenizer", stderr);
    }
}
