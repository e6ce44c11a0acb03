using MmUpt.Training.Collect;
using MmUpt.Training.Dispatch;

namespace MmUpt.Training.Tests;

public sealed class GroupDispatcherTests
{
    private static (ReplicaSet, List<string>) Synced(ReplicaOptions options, params string[] addresses)
    {
        var set = new ReplicaSet(options, e => e is IOException);
        var lines = new List<string>();
        set.Event += l => { lock (lines) lines.Add(l); };
        foreach (var r in set.SetMembers(addresses)) set.MarkSynced(r, 0);
        return (set, lines);
    }

    [Fact]
    public async Task A_failed_attempt_is_retried_on_the_other_replica_with_a_new_attempt_number()
    {
        var options = new ReplicaOptions { RetryDelay = TimeSpan.Zero, Addresses = ["x"] };
        var (set, lines) = Synced(options, "http://dead:1", "http://live:1");
        var ledger = new GroupLedger<string>();
        ledger.Open(1, ["g0"]);
        var calls = new List<(string, uint)>();
        var dispatcher = new GroupDispatcher<string>(set, options);

        // Both replicas are idle, so the first attempt goes to the first by address ("dead").
        var outcome = await dispatcher.RunAsync("g0", 0, () => ledger.NextAttempt("g0"), (r, attempt, _) =>
        {
            lock (calls) calls.Add((r.Address, attempt));
            return r.Address.Contains("dead") ? throw new IOException("connection refused") : Task.FromResult("ok");
        }, CancellationToken.None);

        Assert.Equal([("http://dead:1", 0u), ("http://live:1", 1u)], calls);
        Assert.Equal(1u, outcome.Attempt);
        Assert.Equal("http://live:1", outcome.Replica);
        Assert.Equal(1, ledger.ExtraAttempts);
        Assert.Contains(lines, l => l.Contains("group g0 attempt 0 on http://dead:1 failed") && l.Contains("connection refused"));
        Assert.Equal(1, set.Snapshot().Single(r => r.Address.Contains("dead")).Failures);
    }

    [Fact]
    public async Task Every_attempt_failing_surfaces_the_last_failure()
    {
        var options = new ReplicaOptions { RetryDelay = TimeSpan.Zero, MaxAttempts = 3, BreakerMinimumThroughput = 10, Addresses = ["x"] };
        var (set, _) = Synced(options, "http://a:1");
        var attempts = new List<uint>();
        var dispatcher = new GroupDispatcher<string>(set, options);
        uint next = 0;
        await Assert.ThrowsAsync<IOException>(() => dispatcher.RunAsync("g", 0, () => next++, (_, a, _) =>
        {
            attempts.Add(a);
            return Task.FromException<string>(new IOException($"fail {a}"));
        }, CancellationToken.None));
        Assert.Equal([0u, 1u, 2u], attempts);
    }

    [Fact]
    public async Task A_straggler_is_hedged_on_another_replica_and_the_first_answer_wins()
    {
        var options = new ReplicaOptions { HedgeAfter = TimeSpan.FromMilliseconds(100), MaxAttempts = 2, Addresses = ["x"] };
        var (set, _) = Synced(options, "http://a-slow:1", "http://b-fast:1");
        var dispatcher = new GroupDispatcher<string>(set, options);
        uint next = 0;
        var outcome = await dispatcher.RunAsync("g", 0, () => Interlocked.Increment(ref next) - 1, async (r, a, ct) =>
        {
            if (r.Address.Contains("fast")) return "fast";
            await Task.Delay(Timeout.Infinite, ct); // the straggler answers only when abandoned
            return "slow";
        }, CancellationToken.None);
        Assert.Equal("fast", outcome.Result);
        Assert.Equal(1u, outcome.Attempt);
        Assert.Equal(0, set.Snapshot().Single(r => r.Address.Contains("slow")).Failures);
    }

    [Fact]
    public async Task A_replica_behind_the_asked_version_is_resynced_before_it_serves_again()
    {
        var options = new ReplicaOptions { RetryDelay = TimeSpan.Zero, Addresses = ["x"] };
        var set = new ReplicaSet(options, _ => false, e => e is InvalidOperationException);
        foreach (var r in set.SetMembers(["http://a:1"])) set.MarkSynced(r, 2);
        var resyncs = 0;
        var dispatcher = new GroupDispatcher<string>(set, options, _ =>
        {
            resyncs++;
            foreach (var r in set.NeedingSync(2)) set.MarkSynced(r, 2);
            return Task.CompletedTask;
        });
        uint next = 0;
        var outcome = await dispatcher.RunAsync("g", 2, () => next++, (_, a, _) =>
            a == 0 ? Task.FromException<string>(new InvalidOperationException("v2 not loaded")) : Task.FromResult("ok"), CancellationToken.None);
        Assert.Equal(1u, outcome.Attempt);
        Assert.Equal(1, resyncs);
    }
}
