namespace MmUpt.Training.Collect;

/// <summary>
/// A step's vote metrics over its B groups. <see cref="TopAnswerShare"/> is the collapse signal of DESIGN.md §5: the
/// share of the step's groups whose majority key is the step's most common majority key (groups with no winner count
/// in the denominator, never as the top answer).
/// </summary>
public sealed record VoteSummary(
    int Groups,
    double RewardMean,
    double MajorityRatio,
    double UnanimousFraction,
    double TopAnswerShare,
    string TopAnswer,
    double AnswerEntropy,
    double ResponseLength,
    double? VoteAccuracy)
{
    public static VoteSummary Of(IReadOnlyList<GroupVote> votes)
    {
        if (votes.Count == 0) return new VoteSummary(0, double.NaN, double.NaN, double.NaN, double.NaN, "", double.NaN, double.NaN, null);
        var top = votes.Where(v => v.MajorityKey.Length > 0).GroupBy(v => v.MajorityKey, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).FirstOrDefault();
        var labelled = votes.Where(v => v.MajorityCorrect is not null).ToList();
        return new VoteSummary(
            votes.Count,
            votes.Average(v => v.RewardMean),
            votes.Average(v => v.MajorityRatio),
            votes.Count(v => v.Unanimous) / (double)votes.Count,
            (top?.Count() ?? 0) / (double)votes.Count,
            top?.Key ?? "",
            votes.Average(v => v.AnswerEntropy),
            votes.Average(v => v.ResponseLength),
            labelled.Count == 0 ? null : labelled.Count(v => v.MajorityCorrect == true) / (double)labelled.Count);
    }
}
