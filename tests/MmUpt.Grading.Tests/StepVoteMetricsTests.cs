using MmUpt.Grading.Voting;
using static MmUpt.Grading.Tests.Groups;

namespace MmUpt.Grading.Tests;

public sealed class StepVoteMetricsTests
{
    [Fact]
    public void Top_answer_share_counts_prompts_whose_majority_is_the_step_favourite()
    {
        var vote = VoteAggregators.Create(VoteOptions.Robust);
        GroupVote[] groups =
        [
            vote.Vote(new VoteInput(Of("7", "7", "7", "1"), Reference: "7")),
            vote.Vote(new VoteInput(Of("7", "7.0", "2", "2"), Reference: "2")),   // tie 7 / 2 → "2" (smaller key)
            vote.Vote(new VoteInput(Of("7", "7", "7", "7"), Reference: "3")),
            vote.Vote(new VoteInput([Unboxed(0), Unboxed(1), Boxed("4"), Boxed("4")])),
        ];
        var m = StepVoteMetrics.Compute(groups);
        Assert.Equal(4, m.Groups);
        Assert.Equal("7", m.TopAnswer);
        Assert.Equal(2.0 / 4, m.TopAnswerShare, 12);
        // Samples answering 7: 3 + 2 + 4 + 0 of 16.
        Assert.Equal(9.0 / 16, m.SampleTopAnswerShare, 12);
        Assert.Equal(1.0 / 4, m.UnanimousFraction, 12);
        Assert.Equal(2.0 / 16, m.MeanAbstainRate, 12);
        // Labelled groups: correct, correct ("2" won the tie), wrong.
        Assert.Equal(2.0 / 3, m.VoteAccuracy!.Value, 12);
        Assert.Equal((0.75 + 0.5 + 0) / 3, m.MeanSampleAccuracy!.Value, 12);
        Assert.Equal((0.75 + 0.5 + 1 + 0.5) / 4, m.MeanMajorityRatio, 12);
        Assert.Equal(1.0 / 4, m.ZeroSignalFraction, 12);
    }

    [Fact]
    public void Without_labels_accuracy_is_null_and_empty_steps_are_zero()
    {
        var vote = VoteAggregators.Create(VoteOptions.Faithful);
        var m = StepVoteMetrics.Compute([vote.Vote(new VoteInput(Of("1", "2")))]);
        Assert.Null(m.VoteAccuracy);
        Assert.Null(m.MeanSampleAccuracy);
        Assert.Equal(0, StepVoteMetrics.Compute([]).Groups);
    }
}
