using MmUpt.Grading.Equivalence;
using MmUpt.Grading.Voting;
using static MmUpt.Grading.Tests.Groups;

namespace MmUpt.Grading.Tests;

/// <summary>The robust mode on the same hand-made groups as <see cref="FaithfulVoteTests"/>: each known edge case fixed.</summary>
public sealed class RobustVoteTests
{
    private readonly IVoteAggregator _vote = VoteAggregators.Create(VoteOptions.Robust);

    [Fact]
    public void Abstentions_never_win_and_get_zero()
    {
        List<string> responses = [Unboxed(0), Unboxed(1), Boxed("3"), Unboxed(2), Boxed("3"), Unboxed(3), Boxed("3"), Unboxed(4), Unboxed(5), Boxed("3")];
        var vote = _vote.Vote(new VoteInput(responses));
        Assert.Equal("3", vote.MajorityAnswer);
        Assert.Equal([0, 0, 1, 0, 1, 0, 1, 0, 0, 1], Rewards(vote));
        Assert.Equal(0.4, vote.MajorityRatio, 12);
        Assert.Equal(0.6, vote.AbstainRate, 12);
        // Clusters {3} (4) and abstentions (6).
        Assert.Equal(-(0.4 * Math.Log(0.4) + 0.6 * Math.Log(0.6)), vote.AnswerEntropy, 12);
    }

    [Fact]
    public void All_abstaining_gives_no_label_and_zero_rewards()
    {
        var vote = _vote.Vote(new VoteInput([Unboxed(0), Unboxed(1), Unboxed(2)]));
        Assert.Null(vote.MajorityAnswer);
        Assert.Equal([0, 0, 0], Rewards(vote));
        Assert.Equal(1, vote.AbstainRate);
        Assert.False(vote.Unanimous);
    }

    [Fact]
    public void Empty_and_whitespace_responses_abstain()
    {
        // An empty generation (e.g. an immediate end-of-sequence) is no answer, never an answer "" that could win.
        var vote = _vote.Vote(new VoteInput(["", "  \n ", "", Boxed("3")]));
        Assert.Equal("3", vote.MajorityAnswer);
        Assert.Equal([0, 0, 0, 1], Rewards(vote));
        Assert.Equal(0.75, vote.AbstainRate, 12);
    }

    [Fact]
    public void All_distinct_answers_fall_below_the_minimum_agreement()
    {
        var vote = _vote.Vote(new VoteInput(Of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10")));
        Assert.True(vote.BelowMinAgreement);
        Assert.Null(vote.MajorityAnswer);
        Assert.All(vote.Samples, s => Assert.Equal(0, s.Reward));
    }

    [Fact]
    public void Equivalent_spellings_vote_together()
    {
        var vote = _vote.Vote(new VoteInput(Of("3", "3", "3", "3", @"\frac12", "0.5", "1/2", @"\frac12", "0.5", "1/2")));
        Assert.Equal([0, 0, 0, 0, 1, 1, 1, 1, 1, 1], Rewards(vote));
        Assert.Equal(0.6, vote.MajorityRatio, 12);
        Assert.Equal(2, vote.Clusters);
    }

    [Fact]
    public void Ties_are_broken_independently_of_sample_order()
    {
        Assert.Equal("2", _vote.Vote(new VoteInput(Of("7", "2", "2", "7"))).MajorityAnswer);
        Assert.Equal("2", _vote.Vote(new VoteInput(Of("2", "7", "7", "2"))).MajorityAnswer);
        var firstSeen = VoteAggregators.Create(VoteOptions.Robust with { TieBreak = TieBreak.FirstSeen });
        Assert.Equal("7", firstSeen.Vote(new VoteInput(Of("7", "2", "2", "7"))).MajorityAnswer);
        var noWinner = VoteAggregators.Create(VoteOptions.Robust with { TieBreak = TieBreak.NoWinner });
        var tie = noWinner.Vote(new VoteInput(Of("7", "2", "2", "7")));
        Assert.Null(tie.MajorityAnswer);
        Assert.Equal([0, 0, 0, 0], Rewards(tie));
    }

    [Fact]
    public void Minimum_agreement_zeroes_a_weak_majority()
    {
        var strict = VoteAggregators.Create(VoteOptions.Robust with { MinAgreement = 0.5 });
        var weak = strict.Vote(new VoteInput(Of("1", "1", "2", "3", "4")));
        Assert.True(weak.BelowMinAgreement);
        Assert.Equal([0, 0, 0, 0, 0], Rewards(weak));
        var strong = strict.Vote(new VoteInput(Of("1", "1", "1", "3", "4")));
        Assert.False(strong.BelowMinAgreement);
        Assert.Equal([1, 1, 1, 0, 0], Rewards(strong));
    }

    [Fact]
    public void Unterminated_last_box_falls_back_to_the_complete_one()
    {
        var vote = _vote.Vote(new VoteInput([@"\boxed{3} hmm, actually \boxed{4", Boxed("3"), @"so \boxed{5"]));
        Assert.Equal("3", vote.MajorityAnswer);
        Assert.Equal([1, 1, 0], Rewards(vote));
        Assert.Equal(1.0 / 3, vote.AbstainRate, 12);
    }

    [Fact]
    public void Option_letters_and_option_texts_vote_together()
    {
        var choices = ChoiceSet.Parse("Find x.\nA. 3\nB. 5\nC. 7");
        var vote = _vote.Vote(new VoteInput(Of("B", "5", "(B)", "3", "A"), Choices: choices));
        Assert.Equal([1, 1, 1, 0, 0], Rewards(vote));
        Assert.Equal(0.6, vote.MajorityRatio, 12);
    }

    [Fact]
    public void Vote_on_n_train_on_first_m()
    {
        var vote = VoteAggregators.Create(VoteOptions.Robust with { TrainCount = 3 }).Vote(new VoteInput(Of("1", "2", "2", "2", "2", "1")));
        Assert.Equal("2", vote.MajorityAnswer);
        Assert.Equal([true, true, true, false, false, false], vote.Samples.Select(s => s.Trained));
        Assert.Equal([0, 1, 1, 1, 1, 0], Rewards(vote));
    }

    [Fact]
    public void Invalid_options_are_rejected_with_the_setting_named()
    {
        var ex = Assert.Throws<ArgumentException>(() => VoteAggregators.Create(VoteOptions.Robust with { MinAgreement = 1.5 }));
        Assert.Contains("MinAgreement", ex.Message);
        Assert.Throws<ArgumentException>(() => VoteAggregators.Create(VoteOptions.Robust with { TrainCount = -1 }));
    }
}
