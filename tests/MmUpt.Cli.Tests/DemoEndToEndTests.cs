using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Nodes;
using MmUpt.Cli.Demo;
using MmUpt.Testing;
using MmUpt.Training.Loop;
using static MmUpt.Cli.Tests.DemoProcesses;

namespace MmUpt.Cli.Tests;

/// <summary>
/// The acceptance run of issue 14: <c>mmupt demo --quick</c> end to end with real processes and engines. Every stage
/// leaves its artefacts, the report's numbers are the run files' numbers, every arm trained steps × B groups with none
/// lost or twice, and no process outlives the demo.
/// </summary>
public sealed class DemoEndToEndTests
{
    private static readonly string[] Arms = ["faithful", "robust", "control"];

    [Fact]
    public async Task The_quick_demo_runs_every_stage_and_reports_its_own_numbers()
    {
        using var dir = new TempDir();
        var demo = dir.File("demo");
        await using var process = ChildProcess.Start("demo", MmuptCli, ["demo", "--quick", "--out", demo], dir.File("demo.log"));
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        var code = await process.WaitForExitAsync(TimeSpan.FromSeconds(30), deadline.Token);
        var log = File.ReadAllText(dir.File("demo.log"));
        Assert.True(code == 0, log);
        Assert.Contains($"report: {Path.Combine(demo, "report.md")}", log);
        Assert.Empty(Mentioning(demo));

        foreach (var file in new[] { "tasks/sft.jsonl", "tasks/upt.jsonl", "tasks/eval.jsonl", "tasks/dev.jsonl", "init/config.json", "init/model.safetensors",
                     "sft/run.json", "sft/evals.jsonl", "sft/final/config.json", "sft-onnx/genai_config.json", "report.md" })
        {
            Assert.True(File.Exists(Path.Combine(demo, file)), $"missing {file}");
        }
        Assert.Equal("completed", Read<RunSummary>(Path.Combine(demo, "sft", "run.json")).Status);
        var report = File.ReadAllText(Path.Combine(demo, "report.md"));
        foreach (var arm in Arms)
        {
            var folder = Path.Combine(demo, "arms", arm);
            var run = Read<RunSummary>(Path.Combine(folder, "run.json"));
            Assert.Contains(run.Status, new[] { "completed", "guard-stopped" });
            var b = JsonNode.Parse(File.ReadAllText(Path.Combine(demo, "recipes", arm + ".json")))!["Train"]!["PromptsPerStep"]!.GetValue<int>();
            var steps = Lines<StepRecord>(Path.Combine(folder, "steps.jsonl"));
            Assert.Equal(run.Steps, steps.Count);
            Assert.Equal(run.Steps * b, run.GroupsTrained);
            Assert.All(steps, s => Assert.Equal(b, s.Votes.Groups));
            Assert.All(steps, s => Assert.Equal(0, s.Duplicates));
            Assert.Equal(steps.Count, steps.Select(s => s.Step).Distinct().Count());

            var evals = Lines<EvalRecord>(Path.Combine(folder, "evals.jsonl"));
            var (before, after) = (evals.Single(e => e.Stage == "start"), evals.Single(e => e.Stage == "final"));
            var row = report.Split('\n').First(l => l.StartsWith($"| {arm} | ", StringComparison.Ordinal));
            Assert.Contains($"{Pct(before.Acc02)} → {Pct(after.Acc02)}", row);
            Assert.Contains($"{Pct(before.Pass1)} → {Pct(after.Pass1)}", row);
            Assert.Contains($"{Pct(before.MajK)} → {Pct(after.MajK)}", row);
            Assert.Contains($"{Pct(before.TopAnswerShare)} → {Pct(after.TopAnswerShare)}", row);
            Assert.Contains($"| {run.GroupsTrained} |", row);
            // The guard's dev set measured the starting weights and the last step's, and the report lists every measurement.
            var dev = Lines<EvalRecord>(Path.Combine(folder, "dev.jsonl"));
            Assert.Equal(0, dev[0].Step);
            Assert.Equal(run.Steps, dev[^1].Step);
            Assert.All(dev, d => Assert.Contains($"step {d.Step} v{d.WeightsVersion} {Pct(d.Pass1)}", report));
            foreach (var server in new[] { "voting", "rollout-1", "rollout-2" })
            {
                Assert.Contains("listening on", File.ReadAllText(Path.Combine(demo, "logs", $"{arm}-{server}.log")));
            }
        }
        foreach (var plot in new[] { "heldout-accuracy", "majority-ratio", "top-answer-share", "reward", "kl" })
        {
            Assert.True(new FileInfo(Path.Combine(demo, "plots", plot + ".png")).Length > 1000, plot);
        }
    }

    private static string Pct(double v) => (v * 100).ToString("F1", CultureInfo.InvariantCulture) + "%";

    // The run files write a metric that was not measured (the dev set's acc@T=0.2 and greedy) as "NaN".
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private static T Read<T>(string path) => JsonSerializer.Deserialize<T>(File.ReadAllText(path), Json)!;

    private static List<T> Lines<T>(string path) =>
        [.. File.ReadLines(path).Where(l => l.Trim().Length > 0).Select(l => JsonSerializer.Deserialize<T>(l, Json)!)];
}
