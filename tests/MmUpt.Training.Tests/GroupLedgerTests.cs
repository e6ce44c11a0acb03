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

    [Fact]
    public void A_stale_group_is_dropped_counted_and_stays_missing_for_a_new_attempt()
    {
        var ledger = new GroupLedger<string>();
        ledger.Open(3, ["g"]);
        ledger.NextAttempt("g");
        Assert.Equal(OfferVerdict.Stale, ledger.Offer("g", 0, false, "old"));
        Assert.Equal(["g"], ledger.Missing(3));
        ledger.NextAttempt("g");
        Assert.Equal(OfferVerdict.Accepted, ledger.Offer("g", 1, true, "new"));
        Assert.Equal(1, ledger.Stale);
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
}
