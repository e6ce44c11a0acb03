using MmUpt.Grading.Voting;
using static MmUpt.Grading.Tests.Groups;

namespace MmUpt.Grading.Tests;

/// <summary>
/// The faithful mode reproduces the original reward manager, including its known edge cases
/// (notes/mmupt-method.md §1.2–1.3, §5.2): the "None" bloc, sample 0 winning all-distinct groups, split spellings
/// losing, first-seen ties, and equivalence-based rewards for spellings of the winner.
/// </summary>
public sealed class FaithfulVoteTests
{
    private readonly IVoteAggregator _vote = VoteAggregators.Create(VoteOptions.Faithful);

    [Fact]
    public void Unboxed_responses_vote_as_a_None_bloc_and_win_reward_one()
    {
        List<string> responses = [Unboxed(0), Unboxed(1), Boxed("3"), Unboxed(2), Boxed("3"), Unboxed(3), Boxed("3"), Unboxed(4), Unboxed(5), Boxed("3")];
        var vote = _vote.Vote(new VoteInput(responses));
        Assert.Equal("None", vote.MajorityAnswer);
        Assert.Equal([1, 1, 0, 1, 0, 1, 0, 1, 1, 0], Rewards(vote));
        Assert.Equal(0.6, vote.MajorityRatio, 12);
        Assert.Equal(0.6, vote.AbstainRate, 12);
    }

    [Fact]
    public void A_boxed_none_is_rewarded_when_None_wins()
    {
        List<string> responses = [Unboxed(0), Unboxed(1), Boxed("none"), Boxed("7")];
        var vote = _vote.Vote(new VoteInput(responses));
        Assert.Equal("None", vote.MajorityAnswer);
        Assert.Equal([1, 1, 1, 0], Rewards(vote));
    }

    [Fact]
    public void All_distinct_answers_make_sample_zero_the_label()
    {
        var vote = _vote.Vote(new VoteInput(Of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10")));
        Assert.Equal("1", vote.MajorityAnswer);
        Assert.Equal([1, 0, 0, 0, 0, 0, 0, 0, 0, 0], Rewards(vote));
        Assert.Equal(0.1, vote.MajorityRatio, 12);
        Assert.Equal(Math.Log(10), vote.AnswerEntropy, 12);
    }

    [Fact]
    public void A_class_split_across_spellings_loses_to_a_smaller_single_spelling()
    {
        // {\frac12, 0.5, 1/2} has 6 votes as a class but 2 per string; "3" has 4 identical strings.
        var vote = _vote.Vote(new VoteInput(Of(@"\frac12", "0.5", "1/2", @"\frac12", "0.5", "1/2", "3", "3", "3", "3")));
        Assert.Equal("3", vote.MajorityAnswer);
        Assert.Equal([0, 0, 0, 0, 0, 0, 1, 1, 1, 1], Rewards(vote));
        Assert.Equal(0.4, vote.MajorityRatio, 12);
    }

    [Fact]
    public void Ties_go_to_the_first_seen_answer()
    {
        Assert.Equal("7", _vote.Vote(new VoteInput(Of("7", "2", "2", "7"))).MajorityAnswer);
        Assert.Equal("2", _vote.Vote(new VoteInput(Of("2", "7", "7", "2"))).MajorityAnswer);
    }

    [Fact]
    public void Spellings_equivalent_to_the_winner_are_rewarded_but_do_not_vote_for_it()
    {
        var vote = _vote.Vote(new VoteInput(Of("2", "2", "2.0", "4")));
        Assert.Equal("2", vote.MajorityAnswer);
        Assert.Equal([1, 1, 1, 0], Rewards(vote));
        Assert.Equal(0.5, vote.MajorityRatio, 12);
        Assert.False(vote.Unanimous);
    }

    [Fact]
    public void An_unterminated_last_box_is_None_even_after_a_complete_box()
    {
        List<string> responses = [@"\boxed{3} hmm, actually \boxed{4", Boxed("3"), @"so \boxed{5"];
        var vote = _vote.Vote(new VoteInput(responses));
        Assert.Equal("None", vote.MajorityAnswer);
        Assert.Equal([1, 0, 1], Rewards(vote));
    }

    [Fact]
    public void Unanimous_group_has_zero_entropy()
    {
        var vote = _vote.Vote(new VoteInput(Of("5", "5", "5")));
        Assert.True(vote.Unanimous);
        Assert.Equal(0, vote.AnswerEntropy);
        Assert.Equal(1, vote.MajorityRatio);
    }

    [Fact]
    public void Entropy_is_over_exact_strings()
    {
        var vote = _vote.Vote(new VoteInput(Of("a", "a", "b", "c")));
        var expected = -(0.5 * Math.Log(0.5) + 2 * 0.25 * Math.Log(0.25));
        Assert.Equal(expected, vote.AnswerEntropy, 12);
        Assert.Equal(3, vote.Clusters);
    }

    [Fact]
    public void Reference_answer_gives_vote_accuracy_and_never_changes_rewards()
    {
        var responses = Of("4", "4", "5", "4.0");
        var without = _vote.Vote(new VoteInput(responses));
        var with = _vote.Vote(new VoteInput(responses, Reference: "4"));
        Assert.Equal(Rewards(without), Rewards(with));
        Assert.Null(without.MajorityCorrect);
        Assert.True(with.MajorityCorrect);
        Assert.Equal(0.75, with.SampleAccuracy!.Value, 12);
        Assert.False(_vote.Vote(new VoteInput(responses, Reference: "5")).MajorityCorrect);
    }

    [Fact]
    public void Train_count_marks_the_first_m_samples()
    {
        var vote = VoteAggregators.Create(VoteOptions.Faithful with { TrainCount = 2 }).Vote(new VoteInput(Of("1", "1", "1", "2")));
        Assert.Equal([true, true, false, false], vote.Samples.Select(s => s.Trained));
        Assert.Equal(0.75, vote.MajorityRatio, 12);
    }
}
