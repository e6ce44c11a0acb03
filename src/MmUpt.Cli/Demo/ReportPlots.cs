using MmUpt.Training.Loop;

namespace MmUpt.Cli.Demo;

/// <summary>
/// The report's PNG plots (ScottPlot), one line per arm against the learner step: held-out accuracy from
/// <c>evals.jsonl</c>; majority ratio, top-answer share, reward and KL from <c>steps.jsonl</c>. Points with no value
/// (NaN, a missing metric) are left out, not drawn as zero.
/// </summary>
public static class ReportPlots
{
    /// <summary>A plot: file name, title, y label, and how to read one point of one arm.</summary>
    public sealed record Chart(string File, string Title, string YLabel, Func<ArmRun, IEnumerable<(double Step, double Value)>> Points);

    public static IReadOnlyList<Chart> Charts { get; } =
    [
        new("heldout-accuracy.png", "Held-out accuracy (1 sample, T = 0.2)", "accuracy", r => r.Evals.Select(e => ((double)e.Step, e.Acc02))),
        new("majority-ratio.png", "Majority ratio (mean over the step's groups)", "majority ratio", r => Steps(r, s => s.Votes.MajorityRatio)),
        new("top-answer-share.png", "Top-answer share across prompts (collapse signal)", "share", r => Steps(r, s => s.Votes.TopAnswerShare)),
        new("reward.png", "Mean reward", "reward", r => Steps(r, s => s.Votes.RewardMean)),
        new("kl.png", "KL to the reference (kl_loss)", "KL", r => Steps(r, s => s.Learner.TryGetValue("kl_loss", out var v) ? v : double.NaN)),
    ];

    /// <summary>Writes every chart into <paramref name="folder"/>; returns the file names.</summary>
    public static IReadOnlyList<string> Write(string folder, IReadOnlyList<ArmRun> arms)
    {
        Directory.CreateDirectory(folder);
        foreach (var chart in Charts)
        {
            var plot = new ScottPlot.Plot();
            foreach (var arm in arms)
            {
                var points = chart.Points(arm).Where(p => double.IsFinite(p.Value)).OrderBy(p => p.Step).ToArray();
                if (points.Length == 0) continue;
                var line = plot.Add.Scatter(points.Select(p => p.Step).ToArray(), points.Select(p => p.Value).ToArray());
                line.LegendText = arm.Name;
                line.LineWidth = 2;
                line.MarkerSize = 5;
            }
            plot.Title(chart.Title);
            plot.XLabel("step");
            plot.YLabel(chart.YLabel);
            plot.ShowLegend(ScottPlot.Edge.Right);
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
            plot.SavePng(Path.Combine(folder, chart.File), 800, 450);
        }
        return [.. Charts.Select(c => c.File)];
    }

    private static IEnumerable<(double, double)> Steps(ArmRun run, Func<StepRecord, double> value) =>
        run.Steps.Select(s => ((double)s.Step, value(s)));
}
