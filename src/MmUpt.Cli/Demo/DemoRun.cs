using System.Diagnostics;
using System.Globalization;

namespace MmUpt.Cli.Demo;

/// <summary>
/// The demo's stages, each one <c>mmupt</c> child process run exactly as a user would run it by hand:
/// <code>
///   tasks    mmupt data synth-tasks            → tasks/{sft,upt,eval}.jsonl
///   init     mmupt init --preset tiny          → init/
///   sft      mmupt train (Sft + evals)         → sft/ (final/ = the SFT weights)
///   export   mmupt export --external-data always → sft-onnx/
///   ARM      mmupt vote --mode M, 2 × mmupt rollout --model sft-onnx, mmupt train (Upt + evals) → arms/ARM/
///   report   report.md, plots/*.png from the run files
/// </code>
/// One line per stage with its wall time; <c>train</c>'s own progress lines are echoed, every child's output is in
/// <c>logs/NAME.log</c>. Any failure or a signal stops every child (<see cref="ProcessSupervisor"/>).
/// </summary>
public sealed class DemoRun(DemoLayout layout, DemoSettings settings, MmuptCommand mmupt)
{
    private const int Replicas = 2;
    private readonly int _stages = 5 + settings.Arms.Count;
    private int _stage;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var size = settings.Size;
        var seed = settings.Seed.ToString(CultureInfo.InvariantCulture);
        await using var supervisor = new ProcessSupervisor(mmupt, layout.Logs);
        await StageAsync("tasks", async () =>
        {
            await supervisor.RunAsync("tasks", ["data", "synth-tasks", "--out", layout.Tasks, "--seed", seed,
                "--sft", I(size.SftTasks), "--upt", I(size.UptTasks), "--eval", I(size.EvalTasks), "--dev", I(size.DevTasks)], null, cancellationToken);
            return $"{size.SftTasks} labelled, {size.UptTasks} unlabelled, {size.EvalTasks} held-out and {size.DevTasks} dev tasks in {layout.Tasks}";
        });
        await StageAsync("init", async () =>
        {
            await supervisor.RunAsync("init", ["init", "--preset", "tiny", "--out", layout.Init, "--seed", seed], null, cancellationToken);
            return $"tiny Qwen2.5-VL checkpoint in {layout.Init}";
        });
        await StageAsync("sft", async () =>
        {
            var recipe = WriteRecipe("sft", DemoRecipes.Sft(layout, settings));
            await supervisor.RunAsync("sft", ["train", "--config", recipe, "--port", "0"], Echo("sft"), cancellationToken);
            return Outcome(layout.Sft, "sft", acceptGuardStop: false);
        });
        await StageAsync("export", async () =>
        {
            await supervisor.RunAsync("export", ["export", "--checkpoint", layout.SftFinal, "--out", layout.SftOnnx,
                "--external-data", "always"], null, cancellationToken);
            return $"SFT weights for ORT GenAI in {layout.SftOnnx}";
        });
        foreach (var arm in settings.Arms)
        {
            await StageAsync(arm.Name, () => RunArmAsync(supervisor, arm, cancellationToken));
        }
        await StageAsync("report", () => Task.FromResult(ReportWriter.Write(layout, settings)));
    }

    private async Task<string> RunArmAsync(ProcessSupervisor supervisor, DemoArm arm, CancellationToken cancellationToken)
    {
        // The durable log keeps the scored groups of the arm next to its run (and names the demo folder in every command line).
        List<string> vote = ["vote", "--port", "0", "--mode", arm.VoteMode, "--id", $"{arm.Name}-voting", "--data", Path.Combine(layout.Arm(arm.Name), "voting")];
        if (arm.Voting.Count > 0)
        {
            vote.AddRange(["--config", WriteRecipe($"{arm.Name}-voting", arm.Voting.ToDictionary(kv => $"Voting:{kv.Key}", kv => kv.Value))]);
        }
        var (voting, votingUrl) = await supervisor.StartServerAsync($"{arm.Name}-voting", vote, cancellationToken);
        var rollouts = await Task.WhenAll(Enumerable.Range(1, Replicas).Select(i => supervisor.StartServerAsync($"{arm.Name}-rollout-{i}",
            ["rollout", "--port", "0", "--model", layout.SftOnnx, "--voting", votingUrl.ToString().TrimEnd('/'), "--id", $"{arm.Name}-rollout-{i}"],
            cancellationToken)));
        Console.WriteLine($"  {arm.Name} | voting ({arm.VoteMode}) at {votingUrl}, rollout at {string.Join(", ", rollouts.Select(r => r.Address))}");
        var recipe = WriteRecipe(arm.Name, DemoRecipes.Arm(layout, settings, arm, votingUrl, [.. rollouts.Select(r => r.Address)]));
        await supervisor.RunAsync(arm.Name, ["train", "--config", recipe, "--port", "0"], Echo(arm.Name), cancellationToken);
        await supervisor.StopAsync([voting, .. rollouts.Select(r => r.Process)]);
        return Outcome(layout.Arm(arm.Name), arm.Name, acceptGuardStop: true);
    }

    private async Task StageAsync(string name, Func<Task<string>> work)
    {
        var n = ++_stage;
        var watch = Stopwatch.StartNew();
        var detail = await work();
        Console.WriteLine($"[{n}/{_stages}] {name,-8} {watch.Elapsed.TotalSeconds,6:F1} s  {detail}");
    }

    // How a train run ended, from its run.json; a run that did not complete (or was not stopped by the guard) fails the demo.
    private static string Outcome(string folder, string name, bool acceptGuardStop)
    {
        var run = RunFiles.Load(name, folder);
        var summary = run.Summary ?? throw new DemoException($"{name}: {RunFiles.SummaryFile(folder)} was not written");
        if (summary.Status != "completed" && !(acceptGuardStop && summary.Status == "guard-stopped"))
        {
            throw new DemoException($"{name} ended '{summary.Status}': {summary.Reason}");
        }
        var accuracy = run.Before is { } b && run.After is { } a ? $", held-out acc@0.2 {Pct(b.Acc02)} → {Pct(a.Acc02)}" : "";
        return $"{summary.Status}: {summary.Steps} steps, {summary.GroupsTrained} groups{accuracy}";
    }

    private string WriteRecipe(string name, IReadOnlyDictionary<string, string> keys)
    {
        Directory.CreateDirectory(layout.Recipes);
        var path = layout.Recipe(name);
        File.WriteAllText(path, RecipeJson.Build(keys).ToJsonString(new() { WriteIndented = true }));
        return path;
    }

    private static Action<string> Echo(string name) => line => Console.WriteLine($"  {name} | {line}");

    private static string Pct(double v) => ReportFormat.Percent(v);

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
}
