using MmUpt.Cli.Demo;
using MmUpt.Testing;
using static MmUpt.Cli.Tests.DemoProcesses;

namespace MmUpt.Cli.Tests;

/// <summary>
/// <c>mmupt demo</c> as a user runs it: one-line usage errors, an output folder it refuses, and — the contract of a
/// multi-process job — no process left behind when a stage fails or when the demo itself gets SIGTERM or Ctrl-C. Every child's
/// command line names the demo folder, so "left behind" is "any live process that mentions it".
/// </summary>
public sealed class DemoCommandTests
{
    /// <summary>Makes <c>mmupt train</c> (and only the config-reading commands) refuse to start: a stage fails for sure.</summary>
    public static readonly Dictionary<string, string> BreakTrain = new() { ["MMUPT_Bogus__X"] = "1" };

    [Fact]
    public async Task Bad_flags_and_foreign_folders_are_one_line_usage_errors()
    {
        using var dir = new TempDir();
        var (code, _, stderr) = await Mmupt.RunAsync("demo", "--bogus");
        Assert.Equal(2, code);
        Assert.StartsWith("error: Unrecognized command or argument '--bogus'", stderr);

        File.WriteAllText(dir.File("notes.txt"), "mine");
        (code, _, stderr) = await Mmupt.RunAsync("demo", "--quick", "--out", dir.Path);
        Assert.Equal(2, code);
        Assert.Equal($"error: --out: {dir.Path} already holds 'notes.txt', which this command does not write; give a new or empty folder", stderr.Trim());
        Assert.Equal("mine", File.ReadAllText(dir.File("notes.txt")));

        (code, _, stderr) = await Mmupt.RunAsync("demo", "report", "--out", dir.Path);
        Assert.Equal(2, code);
        Assert.Equal($"error: --out: {dir.Path} is not a demo output (no demo.json)", stderr.Trim());

        (code, var stdout, _) = await Mmupt.RunAsync("demo", "--help");
        Assert.Equal(0, code);
        Assert.Contains("mmupt demo --out runs/demo --quick --seed 2", stdout);
    }

    [Fact]
    public async Task A_failing_stage_stops_the_demo_with_one_line_and_leaves_no_process_and_a_rerun_replaces_it()
    {
        using var dir = new TempDir();
        var demo = dir.File("demo");
        for (var run = 0; run < 2; run++)
        {
            var (code, stdout, stderr) = await Mmupt.RunAsync(BreakTrain, "demo", "--quick", "--out", demo);
            Assert.Equal(1, code);
            Assert.StartsWith("error: demo: sft failed with exit code 2: error: Bogus: unknown section", stderr);
            Assert.Single(stderr.Trim().Split('\n'));
            Assert.Contains("[1/8] tasks", stdout);
            Assert.Contains("[2/8] init", stdout);
            Assert.Contains(" train --config ", File.ReadAllText(Path.Combine(demo, "logs", "sft.log")));
            Assert.Empty(Mentioning(demo));
        }
    }

    [Theory]
    [InlineData(SigTerm, "SIGTERM")]
    [InlineData(2, "SIGINT")]
    public async Task A_signal_to_the_demo_stops_every_process_it_started(int signal, string name)
    {
        using var dir = new TempDir();
        var demo = dir.File("demo");
        await using var process = ChildProcess.Start("demo", MmuptCli, ["demo", "--quick", "--out", demo], dir.File("demo.log"));
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        List<(int Pid, string CommandLine)> children;
        while ((children = Mentioning(demo, except: process.Id)).Count == 0)
        {
            Assert.False(process.HasExited, "the demo exited before it started a child: " + File.ReadAllText(dir.File("demo.log")));
            await Task.Delay(20, deadline.Token);
        }
        Signal(process.Id, signal);
        var code = await process.WaitForExitAsync(TimeSpan.FromMinutes(1), deadline.Token);
        Assert.Equal(1, code);
        Assert.Contains($"demo interrupted by {name}; every process it started is stopped", File.ReadAllText(dir.File("demo.log")));
        Assert.All(children, c => Assert.False(Alive(c.Pid), $"left behind: {c.CommandLine}"));
        Assert.Empty(Mentioning(demo));
    }
}
