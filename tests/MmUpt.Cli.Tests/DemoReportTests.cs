using System.Buffers.Binary;
using System.Globalization;
using MmUpt.Testing;
using MmUpt.Training.Loop;

namespace MmUpt.Cli.Tests;

/// <summary>
/// The demo report shows exactly the numbers in the runs' files: the test writes run.json, evals.jsonl and
/// steps.jsonl with seeded random values into a real demo folder (a demo stopped after its first stages), runs
/// <c>mmupt demo report</c>, and finds every before/after value, each ending and each group count in report.md.
/// </summary>
public sealed class DemoReportTests
{
    [Fact]
    public async Task The_report_shows_the_run_files_numbers_and_plots_every_arm()
    {
        using var dir = new TempDir();
        var demo = await StoppedDemoAsync(dir);
        var runs = new Dictionary<string, DemoRunFiles>
        {
            ["sft"] = DemoRunFiles.Random(1, steps: 10, groupsPerStep: 0),
            ["faithful"] = DemoRunFiles.Random(2, steps: 6, groupsPerStep: 4, "guard-stopped", "top-answer share 0.62 rose more than 0.10 above its baseline 0.31", rolledBackTo: 4),
            ["robust"] = DemoRunFiles.Random(3, steps: 8, groupsPerStep: 4),
            ["control"] = DemoRunFiles.Random(4, steps: 8, groupsPerStep: 4),
        };
        foreach (var (name, files) in runs) files.Write(name == "sft" ? Path.Combine(demo, "sft") : Path.Combine(demo, "arms", name));

        var (code, stdout, stderr) = await Mmupt.RunAsync("demo", "report", "--out", demo);
        Assert.True(code == 0, stderr);
        Assert.Equal($"report: {Path.Combine(demo, "report.md")}", stdout.Trim());
        var report = File.ReadAllText(Path.Combine(demo, "report.md"));

        foreach (var (name, files) in runs)
        {
            var section = Section(report, name == "sft" ? "## SFT warm start" : $"### {name}: vote `{(name == "control" ? "random" : name)}`");
            var (before, after) = (files.Evals[0], files.Evals[^1]);
            Assert.Contains($"| held-out (20 problems, K = 4 at T = 0.7) | before (step 0) | after (step {after.Step}) | change |", section);
            foreach (var (metric, value) in Metrics)
            {
                Assert.Contains($"| {metric} | {Pct(value(before))} | {Pct(value(after))} | ", section);
            }
            Assert.Contains($"Final weights: version {files.Summary.FinalVersion};", section);
            if (name != "sft") Assert.Contains($"Groups trained: {files.Summary.GroupsTrained};", section);
            Assert.Contains($"| {name} | ", report);
            Assert.Contains($"{Pct(before.Acc02)} → {Pct(after.Acc02)}", SummaryRow(report, name));
            Assert.Contains($"{Pct(before.TopAnswerShare)} → {Pct(after.TopAnswerShare)}", SummaryRow(report, name));
        }
        Assert.Contains("**Stopped by the collapse guard** after 6 steps: top-answer share 0.62 rose more than 0.10 above its baseline 0.31; " +
                        "rolled back to weights version 4.", Section(report, "### faithful"));
        Assert.Contains("**Completed** 8 steps.", Section(report, "### robust"));
        Assert.Contains("| 24 |", SummaryRow(report, "faithful"));
        Assert.Contains("| 32 |", SummaryRow(report, "control"));

        foreach (var plot in new[] { "heldout-accuracy", "majority-ratio", "top-answer-share", "reward", "kl" })
        {
            Assert.Contains($"(plots/{plot}.png)", report);
            var png = File.ReadAllBytes(Path.Combine(demo, "plots", plot + ".png"));
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
            Assert.Equal(800, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));   // IHDR width
            Assert.Equal(450, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));   // IHDR height
        }
    }

    [Fact]
    public async Task An_arm_without_files_did_not_finish_and_a_bad_line_is_one_error_naming_it()
    {
        using var dir = new TempDir();
        var demo = await StoppedDemoAsync(dir);
        DemoRunFiles.Random(1, steps: 4, groupsPerStep: 0).Write(Path.Combine(demo, "sft"));
        var (code, _, stderr) = await Mmupt.RunAsync("demo", "report", "--out", demo);
        Assert.True(code == 0, stderr);
        var report = File.ReadAllText(Path.Combine(demo, "report.md"));
        Assert.Contains($"**Did not finish**: no `{Path.Combine(demo, "arms", "robust", "run.json")}`.", report);
        Assert.Contains("| did not finish |", SummaryRow(report, "robust"));

        var evals = Path.Combine(demo, "sft", "evals.jsonl");
        File.AppendAllText(evals, "{\"Stage\": \"final\", \"Step\": \"eleven\"}\n");
        (code, _, stderr) = await Mmupt.RunAsync("demo", "report", "--out", demo);
        Assert.Equal(1, code);
        Assert.StartsWith($"error: {evals}: line 4: not a {nameof(EvalRecord)}", stderr);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    private static readonly (string, Func<EvalRecord, double>)[] Metrics =
    [
        ("Acc@T=0.2", e => e.Acc02), ("pass@1", e => e.Pass1), ("maj@K", e => e.MajK), ("greedy", e => e.Greedy),
        ("top-answer share", e => e.TopAnswerShare),
    ];

    private static string Pct(double v) => (v * 100).ToString("F1", CultureInfo.InvariantCulture) + "%";

    // A real demo folder (demo.json, tasks, init) whose run stopped at the SFT stage.
    private static async Task<string> StoppedDemoAsync(TempDir dir)
    {
        var demo = dir.File("demo");
        var (code, _, stderr) = await Mmupt.RunAsync(DemoCommandTests.BreakTrain, "demo", "--quick", "--out", demo);
        Assert.True(code == 1, stderr);
        return demo;
    }

    private static string Section(string report, string heading)
    {
        var start = report.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"no '{heading}' in the report");
        var next = report.IndexOf("\n#", start + heading.Length, StringComparison.Ordinal);
        return next < 0 ? report[start..] : report[start..next];
    }

    private static string SummaryRow(string report, string run) =>
        report.Split('\n').First(l => l.StartsWith($"| {run} | ", StringComparison.Ordinal));
}
