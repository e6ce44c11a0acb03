using System.Text;
using MmUpt.Training.Loop;
using static MmUpt.Cli.Demo.ReportFormat;

namespace MmUpt.Cli.Demo;

/// <summary>
/// Writes <c>DIR/report.md</c> and <c>DIR/plots/*.png</c> from the run files alone (<see cref="RunFiles"/>): a table
/// per run of held-out accuracy before and after (acc@T=0.2, pass@1, maj@K, greedy, top-answer share), how the run
/// ended (<c>run.json</c>: status, the guard's reason, rollback) and the groups trained. Nothing is measured here.
/// </summary>
public static class ReportWriter
{
    private static readonly (string Name, Func<EvalRecord, double> Value)[] Metrics =
    [
        ("Acc@T=0.2", e => e.Acc02), ("pass@1", e => e.Pass1), ("maj@K", e => e.MajK), ("greedy", e => e.Greedy),
        ("top-answer share", e => e.TopAnswerShare),
    ];

    /// <summary>Writes the report of the demo in <paramref name="layout"/>; returns a one-line description.</summary>
    public static string Write(DemoLayout layout, DemoSettings settings)
    {
        var sft = RunFiles.Load("sft", layout.Sft);
        var arms = settings.Arms.Select(a => RunFiles.Load(a.Name, layout.Arm(a.Name))).ToList();
        var plots = ReportPlots.Write(layout.Plots, arms);
        var md = new StringBuilder();
        var size = settings.Size;
        md.AppendLine("# mmupt demo report").AppendLine();
        md.AppendLine($"Seed {settings.Seed}, size `{size.Name}` (SFT {size.SftSteps} steps; UPT {size.UptSteps} steps × B = " +
                      $"{size.PromptsPerStep} prompts × G = {size.GroupSize} samples per arm), started {settings.Started:u}. " +
                      "Every number below is read from the runs' own files: `run.json`, `evals.jsonl` and `steps.jsonl` " +
                      "under `sft/` and `arms/ARM/`.").AppendLine();
        md.AppendLine("## Summary: held-out before → after").AppendLine();
        md.AppendLine("| run | vote | Acc@T=0.2 | pass@1 | maj@K | top-answer share | ended | groups trained |");
        md.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var (run, vote) in arms.Select((r, i) => (r, settings.Arms[i].VoteMode)).Prepend((sft, "(labels)")))
        {
            string Arrow(Func<EvalRecord, double> f) => run.Before is { } b && run.After is { } a ? $"{Percent(f(b))} → {Percent(f(a))}" : "–";
            md.AppendLine($"| {run.Name} | {vote} | {Arrow(e => e.Acc02)} | {Arrow(e => e.Pass1)} | {Arrow(e => e.MajK)} | " +
                          $"{Arrow(e => e.TopAnswerShare)} | {run.Summary?.Status ?? "did not finish"} | {Groups(run)} |");
        }
        md.AppendLine();
        md.AppendLine("## SFT warm start (labelled split)").AppendLine();
        Run(md, sft);
        md.AppendLine("## UPT arms (unlabelled split, from the SFT weights)").AppendLine();
        foreach (var (run, arm) in arms.Zip(settings.Arms))
        {
            md.AppendLine($"### {arm.Name}: vote `{arm.VoteMode}`").AppendLine();
            md.AppendLine($"{arm.Summary}.").AppendLine();
            Run(md, run);
        }
        md.AppendLine("## Per step, all arms").AppendLine();
        foreach (var (file, chart) in plots.Zip(ReportPlots.Charts)) md.AppendLine($"![{chart.Title}](plots/{file})").AppendLine();
        md.AppendLine("Logs of every process: `logs/`; the recipes each `mmupt train` ran: `recipes/`.");
        File.WriteAllText(layout.Report, md.ToString());
        return $"{layout.Report} and {plots.Count} plots in {layout.Plots}";
    }

    private static void Run(StringBuilder md, ArmRun run)
    {
        md.AppendLine(Ending(run)).AppendLine();
        if (run.Before is not { } before || run.After is not { } after)
        {
            md.AppendLine($"No before/after evaluation in `{RunFiles.EvalsFile(run.Folder)}`.").AppendLine();
            return;
        }
        md.AppendLine($"| held-out ({before.Problems} problems, K = {before.Samples} at T = {Number(before.Temperature, "0.##")}) | " +
                      $"before (step {before.Step}) | after (step {after.Step}) | change |");
        md.AppendLine("|---|---|---|---|");
        foreach (var (name, value) in Metrics)
        {
            md.AppendLine($"| {name} | {Percent(value(before))} | {Percent(value(after))} | {Points(value(before), value(after))} |");
        }
        md.AppendLine();
        if (run.Dev.Count > 0)
        {
            var first = run.Dev[0];
            md.AppendLine($"The collapse guard's dev set ({first.Problems} problems, pass@1 of K = {first.Samples}; held out, not the result " +
                          $"above): {string.Join(", ", run.Dev.Select(d => $"step {d.Step} v{d.WeightsVersion} {Percent(d.Pass1)}"))}.").AppendLine();
        }
    }

    private static string Ending(ArmRun run)
    {
        if (run.Summary is not { } s) return $"**Did not finish**: no `{RunFiles.SummaryFile(run.Folder)}`.";
        var how = s.Status switch
        {
            "completed" => $"**Completed** {Integer(s.Steps)} steps",
            "guard-stopped" => $"**Stopped by the collapse guard** after {Integer(s.Steps)} steps: {s.Reason}",
            _ => $"**{s.Status}** after {Integer(s.Steps)} steps: {s.Reason}",
        };
        var rollback = s.RolledBackTo is { } v ? $"; rolled back to weights version {v}" : "";
        var groups = s.GroupsTrained == 0 && run.GroupsInSteps == 0 ? "" : $" Groups trained: {Groups(run)};";
        return $"{how}{rollback}.{groups} Final weights: version {s.FinalVersion}; {Number(s.Seconds, "F0")} s.";
    }

    // run.json's count, and what steps.jsonl adds up to when it differs (it should not).
    private static string Groups(ArmRun run)
    {
        if (run.Summary is not { } s) return run.Steps.Count == 0 ? "–" : Integer(run.GroupsInSteps);
        if (s.GroupsTrained == 0 && run.GroupsInSteps == 0) return "–";   // SFT trains on labelled examples, not groups
        var dup = run.Duplicates > 0 ? $" ({Integer(run.Duplicates)} duplicate deliveries dropped)" : "";
        return run.GroupsInSteps == s.GroupsTrained || run.Steps.Count == 0
            ? $"{Integer(s.GroupsTrained)}{dup}"
            : $"{Integer(s.GroupsTrained)} (steps.jsonl: {Integer(run.GroupsInSteps)}){dup}";
    }
}
