using MmUpt.Grading.Equivalence;
using MmUpt.Grading.Voting;
using static MmUpt.Grading.Tests.Groups;

namespace MmUpt.Grading.Tests;

/// <summary>
/// The control arm's vote: the label is one answered sample's answer, drawn uniformly and reproducibly from the group
/// id; rewards are agreement with it under the faithful grader; abstentions are never the label.
/// </summary>
public sealed class RandomVoteTests
{
    private readonly IVoteAggregator _vote = VoteAggregators.Create(VoteOptions.Random);
    private readonly MathAnswerGrader _faithful = new(GraderOptions.Faithful);

    [Fact]
    public void The_label_is_an_answered_sample_and_rewards_are_faithful_agreement_with_it()
    {
        List<string> responses = [Boxed(@"\frac12"), Unboxed(0), Boxed("0.5"), Boxed("3"), Unboxed(1), Boxed("3"), Boxed("7")];
        var labels = new HashSet<string>();
        for (var g = 0; g < 200; g++)
        {
            var vote = _vote.Vote(new VoteInput(responses, GroupId: $"step-3/group-{g}"));
            Assert.Equal(VoteMode.Random, vote.Mode);
            var label = vote.MajorityAnswer!;
            labels.Add(label);
            Assert.Contains(label, new[] { @"\frac12", "0.5", "3", "7" });
            foreach (var s in vote.Samples)
            {
                var expected = !s.Abstained && _faithful.Equivalent(_faithful.Prepare(s.Answer), _faithful.Prepare(label)) ? 1.0 : 0.0;
                Assert.Equal(expected, s.Reward);
            }
            Assert.Equal(vote.Samples.Count(s => s.Reward == 1.0), vote.MajorityVotes);
            Assert.Equal(vote.MajorityVotes / 7.0, vote.MajorityRatio, 12);
            Assert.Equal(2 / 7.0, vote.AbstainRate, 12);
            Assert.Equal(4, vote.Clusters);
            Assert.False(vote.Unanimous);
        }
        // Over 200 groups every answered spelling was drawn at least once.
        Assert.Equal(4, labels.Count);
    }

    [Fact]
    public void The_same_group_id_draws_the_same_sample_in_any_instance_and_on_replay()
    {
        var responses = Of("1", "2", "3", "4", "5", "6", "7", "8");
        var other = VoteAggregators.Create(VoteOptions.Random);
        var drawn = new HashSet<string>();
        for (var g = 0; g < 50; g++)
        {
            var input = new VoteInput(responses, GroupId: $"run-a/{g}");
            var first = _vote.Vote(input);
            Assert.Equal(first.MajorityAnswer, other.Vote(input).MajorityAnswer);
            Assert.Equal(Rewards(first), Rewards(other.Vote(input)));
            drawn.Add(first.MajorityAnswer!);
        }
        // Different ids draw different samples (eight answers, 50 ids: far more than one distinct label).
        Assert.True(drawn.Count >= 4, $"only {drawn.Count} distinct labels over 50 group ids");
    }

    [Fact]
    public void The_draw_is_uniform_over_answered_samples()
    {
        // Five answered samples with distinct answers plus two abstentions; 5,000 group ids. Each answer is expected
        // 1,000 times (σ ≈ 28); the draw is a fixed hash, so this test cannot flake, and ±150 (5σ) catches any bias
        // toward a position (e.g. sample 0 as in the faithful all-distinct case) or toward abstentions.
        List<string> responses = [Unboxed(0), Boxed("10"), Boxed("20"), Unboxed(1), Boxed("30"), Boxed("40"), Boxed("50")];
        var counts = new Dictionary<string, int>();
        for (var g = 0; g < 5000; g++)
        {
            var label = _vote.Vote(new VoteInput(responses, GroupId: Guid.Parse($"00000000-0000-0000-0000-{g:D12}").ToString())).MajorityAnswer!;
            counts[label] = counts.GetValueOrDefault(label) + 1;
        }
        Assert.Equal(["10", "20", "30", "40", "50"], counts.Keys.Order());
        Assert.All(counts.Values, c => Assert.InRange(c, 850, 1150));
    }

    [Fact]
    public void A_sample_is_drawn_not_an_answer_so_a_bigger_bloc_is_drawn_more_often()
    {
        var responses = Of("4", "4", "4", "9");
        var fours = Enumerable.Range(0, 4000).Count(g => _vote.Vote(new VoteInput(responses, GroupId: $"g{g}")).MajorityAnswer == "4");
        Assert.InRange(fours, 2800, 3200);   // expected 3,000 (3 of 4 samples), σ ≈ 27
    }

    [Fact]
    public void No_answer_in_the_group_means_no_label_and_zero_rewards()
    {
        var vote = _vote.Vote(new VoteInput([Unboxed(0), Unboxed(1), Unboxed(2)], GroupId: "g"));
        Assert.Null(vote.MajorityAnswer);
        Assert.Null(vote.MajorityKey);
        Assert.Equal([0, 0, 0], Rewards(vote));
        Assert.Equal(0, vote.MajorityRatio);
        Assert.Equal(1, vote.AbstainRate);
        Assert.False(vote.Unanimous);
        Assert.Empty(_vote.Vote(new VoteInput([], GroupId: "g")).Samples);
    }

    [Fact]
    public void Reference_metrics_judge_the_drawn_label_and_entropy_matches_the_faithful_buckets()
    {
        List<string> responses = [.. Of("4", "4", "5"), Unboxed(0)];
        var faithful = VoteAggregators.Create(VoteOptions.Faithful).Vote(new VoteInput(responses));
        for (var g = 0; g < 20; g++)
        {
            var vote = _vote.Vote(new VoteInput(responses, Reference: "4", GroupId: $"{g}"));
            Assert.Equal(vote.MajorityAnswer == "4", vote.MajorityCorrect);
            Assert.Equal(2, vote.CorrectSamples);
            Assert.Equal(faithful.AnswerEntropy, vote.AnswerEntropy, 12);
        }
    }

    [Fact]
    public void Without_a_group_id_the_draw_depends_on_the_responses_only()
    {
        var responses = Of("1", "2", "3", "4", "5");
        Assert.Equal(_vote.Vote(new VoteInput(responses)).MajorityAnswer, _vote.Vote(new VoteInput([.. responses])).MajorityAnswer);
    }

    [Fact]
    public void The_group_voter_passes_the_group_id_and_the_mode_is_named_random()
    {
        var voter = new GroupVoter(VoteOptions.ForMode(VoteModeNames.Parse("random")));
        var responses = Of("1", "2", "3", "4", "5", "6");
        for (var g = 0; g < 10; g++)
        {
            Assert.Equal(_vote.Vote(new VoteInput(responses, GroupId: $"id-{g}")).MajorityAnswer,
                voter.Vote(responses, null, null, $"id-{g}").MajorityAnswer);
        }
        Assert.Equal("random", VoteModeNames.Name(VoteMode.Random));
    }

    [Fact]
    public void Vote_on_n_train_on_m_applies_as_in_the_other_modes()
    {
        var vote = VoteAggregators.Create(VoteOptions.Random with { TrainCount = 2 }).Vote(new VoteInput(Of("1", "1", "2", "2"), GroupId: "t"));
        Assert.Equal([true, true, false, false], vote.Samples.Select(s => s.Trained));
    }
}
