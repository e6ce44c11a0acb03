using System.Text.Json;
using MmUpt.Training.Collect;
using MmUpt.Training.Loop;

namespace MmUpt.Cli.Tests;

/// <summary>
/// Writes the files one <c>mmupt train</c> run leaves (run.json, evals.jsonl, steps.jsonl) with the record types and
/// the default serializer options the step loop writes them with, filled with seeded random values.
/// </summary>
internal sealed record DemoRunFiles(RunSummary Summary, IReadOnlyList<EvalRecord> Evals, IReadOnlyList<StepRecord> Steps)
{
    public static DemoRunFiles Random(int seed, int steps, int groupsPerStep, string status = "completed", string reason = "", ulong? rolledBackTo = null)
    {
        var r = new Random(seed);
        double Share() => Math.Round(r.NextDouble(), 4);
        EvalRecord Eval(string stage, long step) =>
            new(stage, step, (ulong)step, 20, 4, 0.7, Share(), Share(), Share(), Share(), Share(), Share(), Share(), 1.5);
        var evals = new List<EvalRecord> { Eval("start", 0) };
        for (var s = 2; s < steps; s += 2) evals.Add(Eval("1-upt", s));
        evals.Add(Eval("final", steps));
        var records = Enumerable.Range(1, steps).Select(s => new StepRecord("1-upt", s, (ulong)s,
            new VoteSummary(groupsPerStep, Share(), Share(), Share(), Share(), "7", Share(), 30, null),
            new Dictionary<string, double> { ["kl_loss"] = Share() / 100, ["entropy"] = Share() },
            new StepTimings(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(0.1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(0.2), TimeSpan.FromSeconds(3.3)),
            0, 0, 0, "ok")).ToList();
        var summary = new RunSummary(status, reason, steps, (long)steps * groupsPerStep, rolledBackTo ?? (ulong)steps, rolledBackTo, "final", 42);
        return new DemoRunFiles(summary, evals, records);
    }

    public void Write(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "run.json"), JsonSerializer.Serialize(Summary));
        File.WriteAllLines(Path.Combine(folder, "evals.jsonl"), Evals.Select(e => JsonSerializer.Serialize(e)));
        File.WriteAllLines(Path.Combine(folder, "steps.jsonl"), Steps.Select(s => JsonSerializer.Serialize(s)));
    }
}
