using System.Globalization;
using System.Text;
using MmUpt.Cli.Demo;
using MmUpt.Training.Loop;

namespace MmUpt.Cli.Bench;

/// <summary>
/// The step loop's speed, side by side in one run: the same recipe (tiny model, B prompts × G samples, the same seed
/// and prompts) against the same voting service and two rollout workers, once in <c>Sync</c> mode and once in
/// <c>Async</c> mode (rollouts of step k+1 overlap learning of step k, MaxStaleness 1 unless set). Reports the mean wall time per
/// step (after an unmeasured 4-step run that warms the replicas, and leaving out each run's first step), its split into rollout / vote / learn / sync, and the ratios the
/// step-loop issue targets: async ≤ 0.6 × sync, sync (weights publish + SyncWeights) &lt; 5 % of a step.
/// <para>
/// Placement: <c>shared</c> leaves every process on every core; <c>split</c> gives the learner CPU 0 and the two
/// replicas and the voting service CPU 1 (one ONNX Runtime thread per session), as a deployment gives the learner and the
/// rollout workers their own GPUs — the setting async mode is for: in sync mode each side idles while the other works.
/// </para>
/// </summary>
public sealed class LoopBench(string folder, int steps, int prompts, int groupSize, long seed, MmuptCommand mmupt, bool split = false)
{
    public sealed record Row(string Mode, double Wall, double Rollout, double Vote, double Learn, double Sync, int Steps, long Groups)
    {
        /// <summary>Which sync/async pair of runs this row belongs to (1-based).</summary>
        public int Pair { get; init; } = 1;
    }

    /// <summary>
    /// Sync and async runs alternate this many times (this machine's speed drifts by tens of percent within minutes: a
    /// ratio is taken within each pair, and the median of the pairs reported); default 1.
    /// </summary>
    public int Pairs { get; init; } = 1;

    /// <summary>Steps of the unmeasured warm-up run before the pairs.</summary>
    public const int WarmupSteps = 4;

    /// <summary>Async mode's MaxStaleness; default 1.</summary>
    public int MaxStaleness { get; init; } = 1;

    /// <summary>Longest response (the untrained model writes all of them); default 16.</summary>
    public int MaxNewTokens { get; init; } = 16;

    /// <summary>The learner's micro-batch, in responses; default 8 (one group).</summary>
    public int MicroBatchSize { get; init; } = 8;

    public async Task<IReadOnlyList<Row>> RunAsync(CancellationToken cancellationToken)
    {
        var logs = Path.Combine(folder, "logs");
        await using var supervisor = new ProcessSupervisor(mmupt, logs);
        var s = seed.ToString(CultureInfo.InvariantCulture);
        var (tasks, init, onnx) = (Path.Combine(folder, "tasks"), Path.Combine(folder, "init"), Path.Combine(folder, "onnx"));
        await supervisor.RunAsync("tasks", ["data", "synth-tasks", "--out", tasks, "--seed", s, "--sft", "0", "--eval", "0",
            "--upt", I(prompts * steps * 2)], null, cancellationToken);
        await supervisor.RunAsync("init", ["init", "--preset", "tiny", "--out", init, "--seed", s], null, cancellationToken);
        await supervisor.RunAsync("export", ["export", "--checkpoint", init, "--out", onnx, "--external-data", "always", "--force"], null, cancellationToken);
        var (learnerCommand, rolloutCommand) = split ? (mmupt.PinnedTo(0), mmupt.PinnedTo(1)) : (mmupt, mmupt);
        string[] threads = split ? ["--threads", "1"] : [];
        var (_, voting) = await supervisor.StartServerAsync("voting", ["vote", "--port", "0"], cancellationToken, rolloutCommand);
        var replicas = await Task.WhenAll(Enumerable.Range(1, 2).Select(i => supervisor.StartServerAsync($"rollout-{i}",
            ["rollout", "--port", "0", "--model", onnx, "--voting", voting.ToString().TrimEnd('/'), .. threads], cancellationToken, rolloutCommand)));
        var rows = new List<Row>();
        // A short run first, not measured: the replicas' first requests JIT and warm their engines, which would otherwise
        // slow only the first pair's sync run (and flatter that pair's async-vs-sync ratio).
        var runs = new[] { (Pair: 0, Mode: "Sync") }.Concat(Enumerable.Range(1, Pairs).SelectMany(p => new[] { (p, "Sync"), (p, "Async") }));
        foreach (var (pair, mode) in runs)
        {
            var name = pair == 0 ? "warmup" : Pairs == 1 ? mode.ToLowerInvariant() : $"{mode.ToLowerInvariant()}-{pair}";
            var run = Path.Combine(folder, name);
            var keys = new Dictionary<string, string>
            {
                ["Train:Checkpoint"] = init, ["Train:Out"] = run, ["Train:Seed"] = s, ["Train:Mode"] = mode, ["Train:MaxStaleness"] = I(MaxStaleness),
                ["Train:Stages:0:Kind"] = "Upt", ["Train:Stages:0:Data"] = Path.Combine(tasks, "upt.jsonl"), ["Train:Stages:0:Steps"] = I(pair == 0 ? WarmupSteps : steps),
                ["Train:PromptsPerStep"] = I(prompts), ["Train:GroupSize"] = I(groupSize), ["Train:MaxNewTokens"] = I(MaxNewTokens),
                ["Train:CheckpointInterval"] = "1000000", ["Train:Voting"] = voting.ToString().TrimEnd('/'), ["Guard:Enabled"] = "false",
                ["Learner:Threads"] = "1", ["Learner:Trainer:MicroBatchSize"] = I(MicroBatchSize), ["Learner:Trainer:LearningRate"] = "1e-5",
            };
            for (var i = 0; i < replicas.Length; i++) keys[$"Train:Replicas:Addresses:{i}"] = replicas[i].Address.ToString().TrimEnd('/');
            var recipe = Path.Combine(folder, $"{name}.json");
            await File.WriteAllTextAsync(recipe, RecipeJson.Build(keys).ToJsonString(), cancellationToken);
            await supervisor.RunAsync(name, ["train", "--config", recipe, "--port", "0"], null, cancellationToken, learnerCommand);
            if (pair == 0)
            {
                Console.WriteLine($"[bench] warm-up run ({WarmupSteps} steps, not measured) done");
                continue;
            }
            rows.Add(Summarize(mode, RunFiles.Load(mode, run).Steps) with { Pair = pair });
            Console.WriteLine($"[bench] {mode} (pair {pair}/{Pairs}): {rows[^1].Wall:F2} s per step");
        }
        return rows;
    }

    private static Row Summarize(string mode, IReadOnlyList<StepRecord> all)
    {
        var steps = all.Skip(1).ToList(); // the first step pays for JIT and the first loads
        double Mean(Func<StepRecord, TimeSpan> f) => steps.Count == 0 ? double.NaN : steps.Average(r => f(r).TotalSeconds);
        return new Row(mode, Mean(r => r.Wall), Mean(r => r.Timings.Rollout), Mean(r => r.Timings.Vote), Mean(r => r.Timings.Learn),
            Mean(r => r.Timings.Sync), steps.Count, all.Sum(r => (long)r.Votes.Groups));
    }

    public static string Table(IReadOnlyList<Row> rows, bool split = false)
    {
        var c = CultureInfo.InvariantCulture;
        var md = new StringBuilder()
            .AppendLine("| pair | mode | step wall, s | rollout, s | vote, s | learn, s | sync, s | sync / step | step vs sync mode | steps | groups |")
            .AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            var sync = rows.First(x => x.Pair == r.Pair && x.Mode == "Sync");
            md.AppendLine(string.Create(c, $"| {r.Pair} | {r.Mode} | {r.Wall:F2} | {r.Rollout:F2} | {r.Vote:F2} | {r.Learn:F2} | {r.Sync:F2} | {r.Sync / r.Wall:P1} | {r.Wall / sync.Wall:F2}× | {r.Steps} | {r.Groups} |"));
        }
        var pairs = rows.GroupBy(r => r.Pair).Select(g => (Sync: g.First(r => r.Mode == "Sync"), Async: g.First(r => r.Mode == "Async"))).ToList();
        if (pairs.Count > 1)
        {
            static double Median(IEnumerable<double> x) { var s = x.Order().ToList(); return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2; }
            md.AppendLine().AppendLine(string.Create(c,
                $"Median of {pairs.Count} pairs: async vs sync {Median(pairs.Select(p => p.Async.Wall / p.Sync.Wall)):F2}×; sync / step " +
                $"{Median(pairs.Select(p => p.Sync.Sync / p.Sync.Wall)):P1} in sync mode, {Median(pairs.Select(p => p.Async.Sync / p.Async.Wall)):P1} in async mode."));
        }
        md.AppendLine().AppendLine(split
            ? "Placement split: the learner on CPU 0, both replicas (1 thread each) and the voting service on CPU 1."
            : "Placement shared: every process on every core.");
        md.AppendLine().AppendLine("Targets (issue 14): async ≤ 0.60× sync; sync < 5 % of a step. Rollout overlaps learning in async mode, so its parts add up to more than its wall time.");
        return md.ToString();
    }

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
}
