using MmUpt.Training.Collect;
using MmUpt.Training.Loop;

namespace MmUpt.Training.Tests;

public sealed class GroupLedgerTests
{
    [Fact]
    public void The_first_complete_attempt_wins_and_later_ones_are_duplicates()
    {
        var ledger = new GroupLedger<string>();
        ledger.Open(1, ["g0", "g1"]);
        Assert.Equal(0u, ledger.NextAttempt("g0"));
        Assert.Equal(1u, ledger.NextAttempt("g0"));
        ledger.NextAttempt("g1");

        Assert.Equal(OfferVerdict.Accepted, ledger.Offer("g0", 1, true, "g0/1"));
        Assert.Equal(OfferVerdict.Duplicate, ledger.Offer("g0", 0, true, "g0/0"));
        Assert.Equal(OfferVerdict.Duplicate, ledger.Offer("g0", 1, true, "g0/1 again"));
        Assert.Equal(["g1"], ledger.Missing(1));
        Assert.Equal(OfferVerdict.Accepted, ledger.Offer("g1", 0, true, "g1/0"));

        Assert.Equal(["g0/1", "g1/0"], ledger.Take(1));
        Assert.Empty(ledger.Take(1));
        Assert.Empty(ledger.Missing(1));
        Assert.Equal(OfferVerdict.Duplicate, ledger.Offer("g1", 0, true, "redelivered after training"));
        Assert.Equal((2, 3, 1), (ledger.Accepted, ledger.Duplicates, ledger.ExtraAttempts));
    }

    [Fact]
    public void Groups_and_attempts_never_issued_are_unknown()
    {
        var ledger = new GroupLedger<string>();
        ledger.Open(1, ["g0"]);
        ledger.NextAttempt("g0");
        Assert.Equal(OfferVerdict.Unknown, ledger.Offer("old-run-g7", 0, true, "x"));
        Assert.Equal(OfferVerdict.Unknown, ledger.Offer("g0", 1, true, "x"));
        Assert.Throws<InvalidOperationException>(() => ledger.Open(2, ["g0"]));
    }

    /// <summary>
    /// A stale group is dropped and counted, and its prompt is issued again under a new id in the same step (the voting
    /// service scores an id once, so a new attempt of the old id would never be scored): the step still takes one group
    /// for it, and a late attempt of the old id is dropped as replaced.
    /// </summary>
    [Fact]
    public void A_stale_group_is_dropped_counted_and_issued_again_under_a_new_id()
    {
        var ledger = new GroupLedger<string>();
        ledger.Open(3, ["g", "h"]);
        ledger.NextAttempt("g");
        ledger.NextAttempt("g");
        ledger.NextAttempt("h");
        Assert.Equal(OfferVerdict.Stale, ledger.Offer("g", 0, false, "old"));
        ledger.Reissue("g", "g-r1");
        Assert.Equal(["h", "g-r1"], ledger.Missing(3));
        ledger.NextAttempt("g-r1");
        Assert.Equal(OfferVerdict.Replaced, ledger.Offer("g", 1, true, "late hedge of the old id"));
        Assert.Equal(OfferVerdict.Accepted, ledger.Offer("g-r1", 0, true, "new"));
        Assert.Equal(OfferVerdict.Accepted, ledger.Offer("h", 0, true, "h"));
        Assert.Equal(["h", "new"], ledger.Take(3));
        Assert.Equal(1, ledger.Stale);
        Assert.Throws<InvalidOperationException>(() => ledger.Reissue("g", "g-r2"));
        Assert.Throws<InvalidOperationException>(() => ledger.Reissue("h", "h-r1"));
    }

    [Theory]
    [InlineData(LoopMode.Sync, 0, 5, 5)]
    [InlineData(LoopMode.Async, 1, 5, 4)]
    [InlineData(LoopMode.Async, 2, 1, 0)]
    public void Staleness_bounds_the_oldest_version(LoopMode mode, int maxStaleness, ulong learner, ulong oldest)
    {
        var policy = new StalenessPolicy(mode, maxStaleness);
        Assert.Equal(oldest, policy.MinVersion(learner));
        Assert.True(policy.IsFresh(oldest, learner));
        if (oldest > 0) Assert.False(policy.IsFresh(oldest - 1, learner));
    }

    /// <summary>
    /// Async mode dispatches step k + 1 before step k publishes, so its requests ask for what will still be fresh one
    /// version later; sync mode dispatches after the publish and asks for the learner's version.
    /// </summary>
    [Theory]
    [InlineData(LoopMode.Sync, 0, 5, 5)]
    [InlineData(LoopMode.Async, 1, 5, 5)]
    [InlineData(LoopMode.Async, 2, 5, 4)]
    [InlineData(LoopMode.Async, 2, 0, 0)]
    public void Requests_ask_for_versions_still_fresh_when_their_samples_arrive(LoopMode mode, int maxStaleness, ulong learner, ulong requested)
    {
        var policy = new StalenessPolicy(mode, maxStaleness);
        Assert.Equal(requested, policy.DispatchMinVersion(learner));
        Assert.True(policy.IsFresh(requested, mode == LoopMode.Async ? learner + 1 : learner));
    }
}
