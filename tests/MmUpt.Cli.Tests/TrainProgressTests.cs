using MmUpt.Cli.Train;
using MmUpt.Contracts.V1;
using MmUpt.Learner.Loop;
using MmUpt.Testing;
using MmUpt.Training.Collect;
using MmUpt.Training.Loop;

namespace MmUpt.Cli.Tests;

/// <summary>The progress display of <c>mmupt train</c> against a real <see cref="LoopStatus"/> driven through a run's phases.</summary>
public sealed class TrainProgressTests
{
    private static StepRecord Record(long step, ulong version) => new("0-upt", step, version,
        VoteSummary.Of([new GroupVote("7", 0.75, 0.5, false, 0.75, 12), new GroupVote("3", 0.5, 0.7, false, 0.5, 14)]),
        new Dictionary<string, double> { ["kl_loss"] = 0.01 },
        new StepTimings(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.Zero, TimeSpan.FromSeconds(5)),
        0, 0, 0, $"ok (last good v{version})");

    [Fact]
    public void Redirected_output_gets_a_plain_line_when_the_status_changed_at_most_every_5_seconds()
    {
        var clock = new ManualClock();
        var status = new LoopStatus(clock);
        using var output = new StringWriter();
        var progress = TrainProgress.Plain(() => LoopStatusView.ToProto(status, []), output, clock);
        List<string> Lines() => [.. output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)];

        progress.Tick();
        Assert.Empty(Lines());   // idle: nothing to say

        status.Enter(LearnerPhase.Rollout, "0-upt", 0, 3);
        status.Progress(0, 4);
        progress.Tick();
        Assert.Equal(["[0-upt] step 1/3 rollout · groups 0/4 · guard ok"], Lines());

        clock.Advance(TimeSpan.FromSeconds(2));
        status.Generated(300);
        status.Progress(2, 4);
        progress.Tick();
        Assert.Single(Lines());   // changed, but the last line is 2 s old

        clock.Advance(TimeSpan.FromSeconds(3));
        progress.Tick();
        Assert.Equal("[0-upt] step 1/3 rollout · groups 2/4 · 60 tok/s · guard ok", Lines()[^1]);
        clock.Advance(TimeSpan.FromSeconds(10));
        progress.Tick();
        Assert.Equal(2, Lines().Count);   // nothing changed but the rate

        status.Progress(4, 4);
        status.Enter(LearnerPhase.Train);
        progress.Tick();
        Assert.Equal("[0-upt] step 1/3 train · groups 4/4 · 20 tok/s · guard ok", Lines()[^1]);

        status.Completed(1, 1, new Dictionary<string, double> { ["kl_loss"] = 0.01, ["reward_mean"] = 0.625 }, "ok (last good v1)", TimeSpan.FromSeconds(84));
        status.Recorded(Record(1, 1));
        status.Enter(LearnerPhase.Rollout, "0-upt", 1, 3);
        status.Progress(0, 4);
        clock.Advance(TimeSpan.FromSeconds(5));
        progress.Tick();
        Assert.Equal("[0-upt] step 2/3 rollout · groups 0/4 · 15 tok/s · ETA 1m24s · last reward 0.625 majority 0.625 top-answer 0.50 · guard ok (last good v1)",
            Lines()[^1]);

        status.SetGuard("stopped at step 2: top-answer share 0.60 > 0.30; stopping the stage");
        status.Enter(LearnerPhase.Done);
        clock.Advance(TimeSpan.FromSeconds(5));
        progress.Tick();
        Assert.StartsWith("[0-upt] step 1/3 done · groups 0/4 ·", Lines()[^1]);
        Assert.EndsWith("guard stopped at step 2: top-answer share 0.60 > 0.30; stopping the stage", Lines()[^1]);
        Assert.Equal(5, Lines().Count);
        Assert.Equal(0, progress.Failures);
    }

    [Fact]
    public async Task A_failing_status_or_output_never_ends_the_run_and_cancellation_stops_the_loop()
    {
        var calls = 0;
        var progress = TrainProgress.Plain(() =>
        {
            Interlocked.Increment(ref calls);
            throw new InvalidOperationException("status unavailable");
        }, TextWriter.Null);
        using var stop = new CancellationTokenSource();
        var run = progress.RunAsync(stop.Token);
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (Volatile.Read(ref calls) < 3)
        {
            Assert.True(DateTime.UtcNow < deadline, "the progress loop stopped polling");
            await Task.Delay(50);
        }
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(progress.Failures >= 3);

        var closed = new StringWriter();
        await closed.DisposeAsync();
        var status = new LoopStatus();
        status.Enter(LearnerPhase.Rollout, "0-upt", 0, 1);
        var writing = TrainProgress.Plain(() => LoopStatusView.ToProto(status, []), closed);
        writing.Tick();
        Assert.Equal(1, writing.Failures);
    }

    [Fact]
    public async Task On_a_terminal_the_line_is_pinned_to_the_bottom_row_below_a_scroll_region_and_released_at_the_end()
    {
        var status = new LoopStatus();
        status.Enter(LearnerPhase.Rollout, "0-upt", 0, 3);
        status.Progress(3, 4);
        using var terminal = new StringWriter();
        var rows = 24;
        var progress = new TrainProgress(() => LoopStatusView.ToProto(status, []), terminal, new PinnedStatusLine(terminal, () => (rows, 100)));
        progress.Tick();
        var first = terminal.ToString();
        Assert.StartsWith("\n\u001b7\u001b[1;23r\u001b8\u001b[1A", first);          // rows 1-23 scroll, row 24 is the status
        Assert.Contains("\u001b7\u001b[24;1H\u001b[2K", first);
        Assert.Contains("step 1/3 rollout", first);
        Assert.Contains("groups 3/4", first);
        Assert.Contains("━", first);                                                  // the bar
        Assert.EndsWith("\u001b8", first);

        rows = 30;                                                                     // the terminal grew
        progress.Tick();
        Assert.Contains("\u001b[1;29r", terminal.ToString()[first.Length..]);
        new PinnedStatusLine(terminal, () => (rows, 100)).Release();                   // never reserved: nothing to give back
        var before = terminal.ToString().Length;
        using var stop = new CancellationTokenSource();
        await stop.CancelAsync();
        await progress.RunAsync(stop.Token).WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal("\u001b7\u001b[1;30r\u001b[30;1H\u001b[2K\u001b8", terminal.ToString()[before..]);
    }
}
