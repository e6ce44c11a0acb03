using MmUpt.Grading.Voting;

namespace MmUpt.Cli;

/// <summary>The JSON shapes <c>mmupt vote-offline</c> prints (snake_case keys, as the proto's fields).</summary>
internal static class VoteJson
{
    public static Dictionary<string, object?> Group(string? id, GroupVote vote) => new()
    {
        ["id"] = id,
        ["mode"] = VoteModeNames.Name(vote.Mode),
        ["majority_answer"] = vote.MajorityAnswer,
        ["majority_key"] = vote.MajorityAnswer is null ? null : vote.MajorityKey,
        ["majority_ratio"] = vote.MajorityRatio,
        ["answer_entropy"] = vote.AnswerEntropy,
        ["abstain_rate"] = vote.AbstainRate,
        ["unanimous"] = vote.Unanimous,
        ["below_min_agreement"] = vote.BelowMinAgreement,
        ["majority_correct"] = vote.MajorityCorrect,
        ["sample_accuracy"] = vote.SampleAccuracy,
        ["answers"] = vote.Samples.Select(s => s.Abstained ? null : s.Answer).ToList(),
        ["rewards"] = vote.Samples.Select(s => s.Reward).ToList(),
    };

    public static Dictionary<string, object?> Step(StepVoteMetrics m) => new()
    {
        ["groups"] = m.Groups,
        ["mean_majority_ratio"] = m.MeanMajorityRatio,
        ["mean_answer_entropy"] = m.MeanAnswerEntropy,
        ["mean_abstain_rate"] = m.MeanAbstainRate,
        ["unanimous_fraction"] = m.UnanimousFraction,
        ["zero_signal_fraction"] = m.ZeroSignalFraction,
        ["top_answer"] = m.TopAnswer,
        ["top_answer_share"] = m.TopAnswerShare,
        ["sample_top_answer_share"] = m.SampleTopAnswerShare,
        ["vote_accuracy"] = m.VoteAccuracy,
        ["mean_sample_accuracy"] = m.MeanSampleAccuracy,
    };
}
