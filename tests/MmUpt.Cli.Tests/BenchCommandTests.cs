using MmUpt.Cli.Demo;
using MmUpt.Testing;
using static MmUpt.Cli.Tests.DemoProcesses;

namespace MmUpt.Cli.Tests;

/// <summary>
/// <c>mmupt bench loop</c> starts a voting service, two rollout workers and a learner: like the demo, it must leave no
/// process behind when it gets SIGTERM or Ctrl-C (.NET runs no process-exit hook on SIGTERM, so this needs handling).
/// </summary>
public sealed class BenchCommandTests
{
    [Theory]
    [InlineData("--micro-batch-size", "0", "error: --micro-batch-size must be in [1, 1024]")]
    [InlineData("--max-staleness", "0", "error: --max-staleness must be in [1, 16]")]
    [InlineData("--pairs", "21", "error: --pairs must be in [1, 20]")]
    [InlineData("--steps", "1", "error: --steps must be at least 2 (the first step is warm-up)")]
    [InlineData("--max-new-tokens", "0", "error: --max-new-tokens must be in [1, 1024]")]
    public async Task A_bad_flag_is_one_line_and_starts_nothing(string flag, string value, string message)
    {
        using var dir = new TempDir();
        var bench = dir.File("bench");

        var (code, _, stderr) = await Mmupt.RunAsync("bench", "loop", "--out", bench, flag, value);

        Assert.Equal(2, code);
        Assert.Equal(message, stderr.Trim());
        Assert.False(Directory.Exists(bench), "the bench wrote its folder before it checked its flags");
    }

    [Theory]
    [InlineData(SigTerm, "SIGTERM")]
    [InlineData(2, "SIGINT")]
    public async Task A_signal_to_the_loop_bench_stops_every_process_it_started(int signal, string name)
    {
        using var dir = new TempDir();
        var bench = dir.File("bench");
        await using var process = StartBench(bench, dir.File("bench.log"));
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        // Rollout workers and `mmupt train` name the bench folder, the voting service does not: the bench's children are
        // found by their parent.
        var children = await ServersAndTrainingAsync(process, dir.File("bench.log"), deadline.Token);

        Signal(process.Id, signal);
        var code = await process.WaitForExitAsync(TimeSpan.FromMinutes(1), deadline.Token);

        Assert.Equal(1, code);
        Assert.Contains($"bench interrupted by {name}; every process it started is stopped", File.ReadAllText(dir.File("bench.log")));
        Assert.All(children, c => Assert.False(Alive(c.Pid), $"left behind: {c.CommandLine}"));
        Assert.Empty(Mentioning(bench));
    }

    [Fact]
    public async Task The_servers_of_a_SIGKILLed_loop_bench_stop_themselves()
    {
        // SIGKILL leaves the bench no chance to stop anything: its servers see their stdin pipe close and stop.
        using var dir = new TempDir();
        var bench = dir.File("bench");
        await using var process = StartBench(bench, dir.File("bench.log"));
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var children = await ServersAndTrainingAsync(process, dir.File("bench.log"), deadline.Token);

        Signal(process.Id, 9);
        await process.WaitForExitAsync(TimeSpan.FromMinutes(1), deadline.Token);
        // The servers' own shutdown takes up to 10 s, the learner's a step and a checkpoint.
        for (var until = DateTime.UtcNow + TimeSpan.FromSeconds(90); children.Any(c => Alive(c.Pid)) && DateTime.UtcNow < until; )
        {
            await Task.Delay(100, deadline.Token);
        }

        Assert.All(children, c => Assert.False(Alive(c.Pid), $"left behind: {c.CommandLine}"));
        Assert.Empty(Mentioning(bench));
    }

    /// <summary>A loop bench long enough to be interrupted in its first training run.</summary>
    private static ChildProcess StartBench(string folder, string log) =>
        ChildProcess.Start("bench", MmuptCli, ["bench", "loop", "--out", folder, "--steps", "50", "--pairs", "1"], log);

    /// <summary>Waits until the bench runs its voting service, two replicas and a training run; returns them.</summary>
    private static async Task<List<(int Pid, string CommandLine)>> ServersAndTrainingAsync(ChildProcess process, string log, CancellationToken cancellationToken)
    {
        List<(int Pid, string CommandLine)> children;
        while (!(children = ChildrenOf(process.Id)).Any(c => c.CommandLine.Contains(" train ", StringComparison.Ordinal)))
        {
            Assert.False(process.HasExited, "the bench exited before it started training: " + File.ReadAllText(log));
            await Task.Delay(20, cancellationToken);
        }
        Assert.Contains(children, c => c.CommandLine.Contains(" vote ", StringComparison.Ordinal));
        Assert.Equal(2, children.Count(c => c.CommandLine.Contains(" rollout ", StringComparison.Ordinal)));
        return children;
    }
}
