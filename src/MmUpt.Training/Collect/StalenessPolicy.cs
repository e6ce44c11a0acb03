using MmUpt.Training.Loop;

namespace MmUpt.Training.Collect;

/// <summary>
/// Which samples a step may train on. Sync mode (faithful): only samples of the learner's current version. Async mode:
/// samples at most <c>MaxStaleness</c> versions behind it (the async step trains on rollouts that overlapped the
/// previous update; truncated importance sampling with the behaviour log-probs corrects the rest).
/// </summary>
public sealed class StalenessPolicy(LoopMode mode, int maxStaleness)
{
    /// <summary>The oldest version a sample may come from when the learner is at <paramref name="learnerVersion"/>.</summary>
    public ulong MinVersion(ulong learnerVersion) => mode == LoopMode.Sync
        ? learnerVersion
        : learnerVersion > (ulong)maxStaleness ? learnerVersion - (ulong)maxStaleness : 0;

    public bool IsFresh(ulong oldestSampleVersion, ulong learnerVersion) => oldestSampleVersion >= MinVersion(learnerVersion);
}
