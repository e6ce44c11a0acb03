using MmUpt.Contracts.V1;
using MmUpt.Grading.Voting;

namespace MmUpt.Voting;

/// <summary>
/// Votes one complete group (<see cref="GroupVoter"/>, the vote <c>mmupt eval</c> uses too) and writes the result as a
/// <see cref="ScoredGroup"/>. The prompt (reference answer and, in the robust mode, lettered options) is read from the
/// first sample that carries it.
/// </summary>
public sealed class GroupScorer(VoteOptions options)
{
    private readonly GroupVoter _voter = new(options);
    private readonly Contracts.V1.VoteMode _mode = VoteModeContract.ToProto(options.Mode);

    public VoteOptions Options => _voter.Options;

    /// <summary>Scores samples given in index order (0..G-1).</summary>
    public (ScoredGroup Group, GroupVote Vote) Score(IReadOnlyList<Sample> samples)
    {
        var prompt = samples.FirstOrDefault(s => s.Prompt is not null)?.Prompt;
        var vote = _voter.Vote([.. samples.Select(s => s.ResponseText)], prompt?.Text, prompt?.ReferenceAnswer, samples[0].GroupId);
        var group = new ScoredGroup
        {
            GroupId = samples[0].GroupId,
            Attempt = samples[0].Attempt,
            Mode = _mode,
            Metrics = new VoteMetrics
            {
                MajorityAnswer = vote.MajorityAnswer ?? "",
                MajorityKey = vote.MajorityAnswer is null ? "" : vote.MajorityKey ?? "",
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
                AnswerKey = v.Key ?? "",
                Reward = (float)v.Reward,
                Trained = v.Trained,
            });
        }
        return (group, vote);
    }
}
