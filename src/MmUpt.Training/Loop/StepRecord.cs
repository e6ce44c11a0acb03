using System.Globalization;
using MmUpt.Training.Collect;

namespace MmUpt.Training.Loop;

/// <summary>
/// One line of <c>steps.jsonl</c> and of the step log: what a step trained on, what the vote and the learner measured,
/// where the time went, and what the resilience machinery did (retries, duplicates, stale drops).
/// </summary>
public sealed record StepRecord(
    string Stage,
    long Step,
    ulong WeightsVersion,
    VoteSummary Votes,
    IReadOnlyDictionary<string, double> Learner,
    StepTimings Timings,
    int ExtraAttempts,
    int Duplicates,
    int StaleDropped,
    string Guard)
{
    /// <summary>Wall time from the end of the previous step (or the stage's start) to the end of this one: what the step cost.</summary>
    public TimeSpan Wall { get; init; }

    /// <summary>The summary line printed once per step.</summary>
    public string ToLine()
    {
        var c = CultureInfo.InvariantCulture;
        string M(string key, string format) => Learner.TryGetValue(key, out var v) ? v.ToString(format, c) : "-";
        if (Votes.Groups == 0)
        {
            // A supervised step: no rollouts, no vote.
            return string.Create(c,
                $"[{Stage}] step {Step} loss {M("loss", "F4")} lr {M("lr", "G3")} grad-norm {M("grad_norm", "F3")} tokens/s {M("tokens_per_second", "F0")} | learn {Timings.Learn.TotalSeconds:F1}s");
        }
        var clip = Learner.TryGetValue("pg_clipfrac_higher", out var hi) && Learner.TryGetValue("pg_clipfrac_lower", out var lo)
            ? (hi + lo).ToString("F3", c) : "-";
        return string.Create(c,
            $"[{Stage}] step {Step} v{WeightsVersion} groups {Votes.Groups} reward {Votes.RewardMean:F3} majority {Votes.MajorityRatio:F3} " +
            $"unanimous {Votes.UnanimousFraction:F2} top-answer {Votes.TopAnswerShare:F2} kl {M("kl_loss", "F4")} clip {clip} " +
            $"entropy {M("entropy", "F3")} len {Votes.ResponseLength:F1} | rollout {Timings.Rollout.TotalSeconds:F1}s vote {Timings.Vote.TotalSeconds:F1}s " +
            $"learn {Timings.Learn.TotalSeconds:F1}s sync {Timings.Sync.TotalSeconds:F1}s | retries {ExtraAttempts} dup {Duplicates} stale {StaleDropped} | guard {Guard}");
    }
}
