using MmUpt.Training.Dispatch;
using Polly.CircuitBreaker;

namespace MmUpt.Training.Tests;

public sealed class ReplicaSetTests
{
    private static readonly ReplicaOptions Options = new() { Addresses = ["http://a:1"], BreakerBreakDuration = TimeSpan.FromMinutes(5) };

    private static ReplicaSet Synced(params string[] addresses)
    {
        var set = new ReplicaSet(Options, _ => true);
        foreach (var r in set.SetMembers(addresses)) set.MarkSynced(r, 0);
        return set;
    }

    [Fact]
    public void A_new_replica_serves_only_after_its_sync()
    {
        var set = new ReplicaSet(Options, _ => true);
        var joined = set.SetMembers(["http://a:1"]);
        Assert.Null(set.TryAcquire(0, []));
        set.MarkSynced(joined[0], 3);
        Assert.Null(set.TryAcquire(4, []));
        using var lease = set.TryAcquire(3, []);
        Assert.Equal("http://a:1", lease!.Replica.Address);
    }

    [Fact]
    public void Groups_go_to_the_least_loaded_replica_and_avoid_replicas_that_failed_them()
    {
        var set = Synced("http://a:1", "http://b:1", "http://c:1");
        using var first = set.TryAcquire(0, [])!;
        using var second = set.TryAcquire(0, [])!;
        using var third = set.TryAcquire(0, [])!;
        Assert.Equal(3, new[] { first, second, third }.Select(l => l.Replica.Address).Distinct().Count());
        third.Dispose();
        using var fourth = set.TryAcquire(0, [])!;
        Assert.Equal(third.Replica.Address, fourth.Replica.Address);
        fourth.Dispose();
        using var avoiding = set.TryAcquire(0, [third.Replica.Address])!;
        Assert.NotEqual(third.Replica.Address, avoiding.Replica.Address);
    }

    [Fact]
    public void A_replica_that_left_is_never_chosen_and_a_rejoined_one_needs_a_sync()
    {
        var set = Synced("http://a:1", "http://b:1");
        var lines = new List<string>();
        set.Event += lines.Add;
        set.SetMembers(["http://b:1"]);
        for (var i = 0; i < 3; i++)
        {
            using var l = set.TryAcquire(0, [])!;
            Assert.Equal("http://b:1", l.Replica.Address);
        }
        var back = set.SetMembers(["http://a:1", "http://b:1"]);
        Assert.Single(back);
        Assert.Contains(back[0], set.NeedingSync(0));
        Assert.Contains(lines, l => l.Contains("http://a:1 left"));
        Assert.Contains(lines, l => l.Contains("http://a:1 joined"));
    }

    [Fact]
    public async Task Failures_open_the_circuit_and_the_replica_needs_a_sync_to_serve_again()
    {
        var set = Synced("http://a:1", "http://b:1");
        var a = set.Snapshot()[0];
        for (var i = 0; i < 2; i++)
        {
            await Assert.ThrowsAsync<IOException>(async () =>
                await a.Pipeline.ExecuteAsync(_ => throw new IOException("connection refused")));
        }
        Assert.Equal(CircuitState.Open, a.Circuit);
        Assert.True(a.NeedsSync);
        for (var i = 0; i < 3; i++)
        {
            using var l = set.TryAcquire(0, [])!;
            Assert.Equal("http://b:1", l.Replica.Address);
        }
    }
}
