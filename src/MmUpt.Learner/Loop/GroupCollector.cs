using System.Collections.Concurrent;
using MmUpt.Contracts.V1;
using MmUpt.Training.Collect;

namespace MmUpt.Learner.Loop;

/// <summary>
/// Between the voting feed and the step loop: each scored group goes through the <see cref="GroupLedger{T}"/> (whole,
/// once, fresh), and the dispatch task of its group learns the verdict. A group's verdict can arrive before its
/// dispatcher asks for it (the voting service scores a group before the worker replies), so verdicts are kept.
/// </summary>
public sealed class GroupCollector(StalenessPolicy staleness, Func<ulong> learnerVersion, Action<string> onEvent)
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<OfferVerdict>> _verdicts = new(StringComparer.Ordinal);

    public GroupLedger<ScoredGroup> Ledger { get; } = new();

    public void Open(long step, IReadOnlyList<string> groupIds)
    {
        Ledger.Open(step, groupIds);
        foreach (var id in groupIds) _verdicts[id] = NewVerdict();
    }

    public void Offer(ScoredGroup group)
    {
        var oldest = group.Samples.Count == 0 ? 0 : group.Samples.Min(s => s.Sample?.WeightsVersion ?? 0);
        var fresh = staleness.IsFresh(oldest, learnerVersion());
        var verdict = Ledger.Offer(group.GroupId, group.Attempt, fresh, group);
        switch (verdict)
        {
            case OfferVerdict.Accepted:
            case OfferVerdict.Stale:
                if (_verdicts.TryGetValue(group.GroupId, out var waiter)) waiter.TrySetResult(verdict);
                if (verdict == OfferVerdict.Stale)
                    onEvent($"group {group.GroupId} attempt {group.Attempt} dropped: samples of v{oldest} are older than v{staleness.MinVersion(learnerVersion())}");
                break;
            case OfferVerdict.Duplicate:
                onEvent($"group {group.GroupId} attempt {group.Attempt} dropped: the group was already accepted");
                break;
            case OfferVerdict.Replaced:
                onEvent($"group {group.GroupId} attempt {group.Attempt} dropped: the group was re-issued under a new id after a stale attempt");
                break;
            default:
                onEvent($"group {group.GroupId} attempt {group.Attempt} dropped: not issued by this run");
                break;
        }
    }

    /// <summary>Re-issues <paramref name="groupId"/> as <paramref name="newId"/> (see <see cref="GroupLedger{T}.Reissue"/>).</summary>
    public void Reissue(string groupId, string newId)
    {
        _verdicts[newId] = NewVerdict();
        Ledger.Reissue(groupId, newId);
    }

    /// <summary>The next verdict on <paramref name="groupId"/>, or null when none came within <paramref name="timeout"/>.</summary>
    public async Task<OfferVerdict?> WaitAsync(string groupId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var waiter = _verdicts[groupId];
        try
        {
            var verdict = await waiter.Task.WaitAsync(timeout, cancellationToken);
            if (verdict == OfferVerdict.Stale) _verdicts.TryUpdate(groupId, NewVerdict(), waiter);
            return verdict;
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    private static TaskCompletionSource<OfferVerdict> NewVerdict() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
