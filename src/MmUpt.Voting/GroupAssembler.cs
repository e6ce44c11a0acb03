using Grpc.Core;
using MmUpt.Contracts.V1;

namespace MmUpt.Voting;

/// <summary>
/// Collects samples into group attempts. A sample is checked against its group (size, duplicate index, group already
/// closed) before anything changes, so a rejected sample leaves every accepted one in place. Opening a group beyond
/// <see cref="VotingOptions.MaxPendingGroups"/>, or while <c>canOpen</c> says no, is RESOURCE_EXHAUSTED. Closed keys
/// (completed or expired) are remembered, up to <see cref="ClosedMemory"/>, to reject late duplicates.
/// </summary>
internal sealed class GroupAssembler(VotingOptions options, TimeProvider time)
{
    public const int ClosedMemory = 65_536;

    private readonly Lock _lock = new();
    private readonly Dictionary<GroupAttempt, PendingGroup> _pending = [];
    private readonly HashSet<GroupAttempt> _closed = [];
    private readonly Queue<GroupAttempt> _closedOrder = new();

    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Adds a validated sample; returns the group's samples in index order when it completes it, else null.</summary>
    public Sample[]? Add(Sample sample, Func<string?> canOpen)
    {
        var key = new GroupAttempt(sample.GroupId, sample.Attempt);
        lock (_lock)
        {
            if (_closed.Contains(key))
            {
                throw SampleValidator.Invalid($"sample {key}[{sample.Index}]: group {key} is already complete or expired");
            }
            if (!_pending.TryGetValue(key, out var group))
            {
                if (_pending.Count >= options.MaxPendingGroups)
                {
                    throw Exhausted($"{_pending.Count} incomplete groups are pending (MaxPendingGroups); retry later");
                }
                if (canOpen() is { } refusal)
                {
                    throw Exhausted(refusal);
                }
                group = new PendingGroup(key, sample.GroupSize, time.GetTimestamp());
                _pending[key] = group;
            }
            else if (group.Size != sample.GroupSize)
            {
                throw SampleValidator.Invalid($"sample {key}[{sample.Index}]: group_size {sample.GroupSize} differs from the group's {group.Size}");
            }
            else if (group.Has(sample.Index))
            {
                throw SampleValidator.Invalid($"sample {key}[{sample.Index}]: duplicate index {sample.Index}");
            }
            group.Add(sample);
            if (!group.Complete)
            {
                return null;
            }
            _pending.Remove(key);
            Close(key);
            return group.Samples();
        }
    }

    /// <summary>Removes and returns the groups whose first sample is older than the timeout.</summary>
    public List<PendingGroup> Expire()
    {
        lock (_lock)
        {
            var expired = _pending.Values.Where(g => time.GetElapsedTime(g.OpenedAt) >= options.GroupTimeout).ToList();
            foreach (var g in expired)
            {
                _pending.Remove(g.Key);
                Close(g.Key);
            }
            return expired;
        }
    }

    private void Close(GroupAttempt key)
    {
        if (_closed.Add(key))
        {
            _closedOrder.Enqueue(key);
        }
        while (_closedOrder.Count > ClosedMemory)
        {
            _closed.Remove(_closedOrder.Dequeue());
        }
    }

    private static RpcException Exhausted(string message) => new(new Status(StatusCode.ResourceExhausted, message));
}
