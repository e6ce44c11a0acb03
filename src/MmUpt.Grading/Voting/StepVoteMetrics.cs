namespace MmUpt.Grading.Voting;

/// <summary>
/// Vote metrics over all groups of one step. <see cref="TopAnswerShare"/> is the collapse signal (DESIGN.md §5): the
/// share of the step's groups whose majority answer is the step's most common majority answer (by canonical key);
/// if it rises while prompts differ, the policy is drifting toward one prompt-independent answer.
/// <see cref="SampleTopAnswerShare"/> is the same over all samples (abstentions in the denominator).
/// </summary>
public sealed record StepVoteMetrics
{
    public int Groups { get; init; }

    public double MeanMajorityRatio { get; init; }

    public double MeanAnswerEntropy { get; init; }

    public double MeanAbstainRate { get; init; }

    /// <summary>Share of groups where every sample got reward 1.</summary>
    public double UnanimousFraction { get; init; }

    /// <summary>Share of groups whose trained rewards are all equal: zero GRPO advantage (unanimous, no winner, gated).</summary>
    public double ZeroSignalFraction { get; init; }

    public double BelowMinAgreementFraction { get; init; }

    /// <summary>The most common majority key of the step; null when no group had a winner.</summary>
    public string? TopAnswer { get; init; }

    public double TopAnswerShare { get; init; }

    public double SampleTopAnswerShare { get; init; }

    /// <summary>Share of labelled groups whose majority is correct; null when no group carried a reference.</summary>
    public double? VoteAccuracy { get; init; }

    /// <summary>Mean share of correct samples over labelled groups; null when none carried a reference.</summary>
    public double? MeanSampleAccuracy { get; init; }

    public static StepVoteMetrics Compute(IReadOnlyCollection<GroupVote> groups)
    {
        if (groups.Count == 0)
        {
            return new StepVoteMetrics();
        }
        var (top, topCount) = MostCommon(groups.Select(g => g.MajorityKey));
        var samples = groups.SelectMany(g => g.Samples).ToList();
        var (_, sampleTopCount) = MostCommon(samples.Select(s => s.Key));
        var labelled = groups.Where(g => g.MajorityCorrect.HasValue).ToList();
        return new StepVoteMetrics
        {
            Groups = groups.Count,
            MeanMajorityRatio = groups.Average(g => g.MajorityRatio),
            MeanAnswerEntropy = groups.Average(g => g.AnswerEntropy),
            MeanAbstainRate = groups.Average(g => g.AbstainRate),
            UnanimousFraction = groups.Average(g => g.Unanimous ? 1.0 : 0.0),
            ZeroSignalFraction = groups.Average(g => ZeroSignal(g) ? 1.0 : 0.0),
            BelowMinAgreementFraction = groups.Average(g => g.BelowMinAgreement ? 1.0 : 0.0),
            TopAnswer = top,
            TopAnswerShare = (double)topCount / groups.Count,
            SampleTopAnswerShare = samples.Count == 0 ? 0 : (double)sampleTopCount / samples.Count,
            VoteAccuracy = labelled.Count == 0 ? null : labelled.Average(g => g.MajorityCorrect!.Value ? 1.0 : 0.0),
            MeanSampleAccuracy = labelled.Count == 0 ? null : labelled.Average(g => g.SampleAccuracy ?? 0),
        };
    }

    private static bool ZeroSignal(GroupVote g)
    {
        var trained = g.Samples.Where(s => s.Trained).Select(s => s.Reward).Distinct().Count();
        return trained <= 1;
    }

    // The most frequent non-null key; ties go to the ordinally smallest so the result does not depend on group order.
    private static (string? Key, int Count) MostCommon(IEnumerable<string?> keys)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var k in keys)
        {
            if (k is not null)
            {
                counts[k] = counts.GetValueOrDefault(k) + 1;
            }
        }
        return counts.Count == 0
            ? (null, 0)
            : counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (kv.Key, kv.Value)).First();
    }
}
