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

    /// <summary>
    /// The <c>min_weights_version</c> of a step's requests when the learner is at <paramref name="learnerVersion"/>. Async
    /// mode dispatches step k + 1 before step k learns, so by the time the samples arrive (and are judged by
    /// <see cref="IsFresh"/>) the learner has usually published one more version: ask for what will still be fresh then,
    /// or the rollouts are wasted and the groups sampled again.
    /// </summary>
    public ulong DispatchMinVersion(ulong learnerVersion) => mode == LoopMode.Sync ? MinVersion(learnerVersion) : MinVersion(learnerVersion + 1);
}
