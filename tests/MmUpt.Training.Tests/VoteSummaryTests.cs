using MmUpt.Training.Collect;

namespace MmUpt.Training.Tests;

public sealed class VoteSummaryTests
{
    [Fact]
    public void Top_answer_share_counts_groups_whose_majority_is_the_most_common_key()
    {
        var votes = new[]
        {
            new GroupVote("3", 0.6, 1.0, false, 0.6, 10),
            new GroupVote("3", 1.0, 0.0, true, 1.0, 12),
            new GroupVote("7", 0.4, 1.2, false, 0.4, 8),
            new GroupVote("", 0.2, 1.6, false, 0.0, 20),
        };
        var s = VoteSummary.Of(votes);
        Assert.Equal(0.5, s.TopAnswerShare);
        Assert.Equal("3", s.TopAnswer);
        Assert.Equal(0.25, s.UnanimousFraction);
        Assert.Equal(0.55, s.MajorityRatio, 12);
        Assert.Equal(0.5, s.RewardMean, 12);
        Assert.Null(s.VoteAccuracy);
    }

    [Fact]
    public void Vote_accuracy_only_over_labelled_groups()
    {
        var s = VoteSummary.Of([new GroupVote("1", 1, 0, true, 1, 1, true), new GroupVote("2", 1, 0, true, 1, 1, false), new GroupVote("2", 1, 0, true, 1, 1)]);
        Assert.Equal(0.5, s.VoteAccuracy);
    }
}
