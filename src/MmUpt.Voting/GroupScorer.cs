using MmUpt.Contracts.V1;
using MmUpt.Grading.Equivalence;
using MmUpt.Grading.Voting;

namespace MmUpt.Voting;

/// <summary>
/// Votes one complete group and writes the result as a <see cref="ScoredGroup"/>. The prompt (reference answer and,
/// in the robust mode, lettered options) is read from the first sample that carries it.
/// </summary>
public sealed class GroupScorer(VoteOptions options)
{
    private readonly IVoteAggregator _aggregator = VoteAggregators.Create(options);

    public VoteOptions Options { get; } = options;

    /// <summary>Scores samples given in index order (0..G-1).</summary>
    public (ScoredGroup Group, GroupVote Vote) Score(IReadOnlyList<Sample> samples)
    {
        var prompt = samples.FirstOrDefault(s => s.Prompt is not null)?.Prompt;
        var reference = string.IsNullOrEmpty(prompt?.ReferenceAnswer) ? null : prompt.ReferenceAnswer;
        var choices = Options is { Mode: VoteMode.Robust, ParseChoices: true } && prompt is not null ? ChoiceSet.Parse(prompt.Text) : null;
        var vote = _aggregator.Vote(new VoteInput([.. samples.Select(s => s.ResponseText)], reference, choices));
        var group = new ScoredGroup
        {
            GroupId = samples[0].GroupId,
            Attempt = samples[0].Attempt,
            Mode = Options.Mode == VoteMode.Faithful ? "faithful" : "robust",
            Metrics = new VoteMetrics
            {
                MajorityAnswer = vote.MajorityAnswer ?? "",
                MajorityRatio = vote.MajorityRatio,
                AnswerEntropy = vote.AnswerEntropy,
                AbstainRate = vote.AbstainRate,
                Unanimous = vote.Unanimous,
                BelowMinAgreement = vote.BelowMinAgreement,
            },
        };
        if (vote.MajorityCorrect is { } correct)
        {
            group.Metrics.MajorityCorrect = correct;
        }
        if (vote.SampleAccuracy is { } accuracy)
        {
            group.Metrics.SampleAccuracy = accuracy;
        }
        foreach (var (sample, v) in samples.Zip(vote.Samples))
        {
            group.Samples.Add(new ScoredSample
            {
                Sample = sample,
                ExtractedAnswer = v.Abstained ? "" : v.Answer,
                Reward = (float)v.Reward,
                Trained = v.Trained,
            });
        }
        return (group, vote);
    }
}
