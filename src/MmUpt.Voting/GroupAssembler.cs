using Grpc.Core;
using MmUpt.Contracts.V1;

namespace MmUpt.Voting;

/// <summary>
/// Collects samples into group attempts. A sample is checked against its group (size, duplicate index, group already
/// scored or expired, caps) before anything changes, so a rejected sample leaves every accepted one in place. The first
/// attempt of a group to complete is the group: the other attempts' samples are dropped and later samples of any attempt
/// get ALREADY_EXISTS naming the scored attempt. Opening a group beyond <see cref="VotingOptions.MaxPendingGroups"/>,
/// a sample beyond <see cref="VotingOptions.MaxPendingBytes"/>, or a group while <c>canOpen</c> says no is
/// RESOURCE_EXHAUSTED. Scored group ids and expired attempts are remembered, the last <see cref="ClosedMemory"/> of each
/// (at most 256 bytes per id: a bounded 2 × 16 MiB), to reject late samples.
/// </summary>
internal sealed class GroupAssembler(VotingOptions options, TimeProvider time)
{
    public const int ClosedMemory = 65_536;

    private readonly Lock _lock = new();
    private readonly Dictionary<GroupAttempt, PendingGroup> _pending = [];
    private readonly Dictionary<string, List<uint>> _openAttempts = new(StringComparer.Ordinal);
    private readonly RecentKeys<string, uint> _scored = new(ClosedMemory);
    private readonly RecentKeys<GroupAttempt, bool> _expired = new(ClosedMemory);
    private long _pendingBytes;

    public (int Groups, long Bytes) Pending()
    {
        lock (_lock)
        {
            return (_pending.Count, _pendingBytes);
        }
    }

    /// <summary>Scored groups still remembered (id and the attempt scored), oldest first: what a log compaction keeps.</summary>
    public List<GroupAttempt> ScoredIds()
    {
        lock (_lock)
        {
            return [.. _scored.Keys.Select(id => new GroupAttempt(id, _scored.TryGetValue(id, out var a) ? a : 0))];
        }
    }

    /// <summary>Adds a validated sample of <paramref name="bytes"/> serialized bytes; returns the group's samples in
    /// index order when it completes it, else null.</summary>
    public Sample[]? Add(Sample sample, long bytes, Func<string?> canOpen)
    {
        var key = new GroupAttempt(sample.GroupId, sample.Attempt);
        var where = SampleValidator.Where(sample);
        lock (_lock)
        {
            if (_scored.TryGetValue(sample.GroupId, out var scored))
            {
                throw new RpcException(new Status(StatusCode.AlreadyExists,
                    $"{where}: group {sample.GroupId} was already scored from attempt {scored}; attempt {sample.Attempt} is not scored"));
            }
            if (_expired.TryGetValue(key, out _))
            {
                throw SampleValidator.Invalid($"{where}: group {key} expired before it was complete; retry the group as a new attempt");
            }
            if (_pendingBytes + bytes > options.MaxPendingBytes)
            {
                throw Exhausted($"{where}: incomplete groups hold {_pendingBytes} bytes (MaxPendingBytes {options.MaxPendingBytes}); retry later");
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
                if (!_openAttempts.TryGetValue(key.GroupId, out var attempts))
                {
                    _openAttempts[key.GroupId] = attempts = [];
                }
                attempts.Add(key.Attempt);
            }
            else if (group.Size != sample.GroupSize)
            {
                throw SampleValidator.Invalid($"{where}: group_size {sample.GroupSize} differs from the group's {group.Size}");
            }
            else if (group.Has(sample.Index))
            {
                throw SampleValidator.Invalid($"{where}: duplicate index {sample.Index}");
            }
            group.Add(sample, bytes);
            _pendingBytes += bytes;
            if (!group.Complete)
            {
                return null;
            }
            // The first complete attempt is the group: every other attempt of it is dropped now.
            foreach (var attempt in _openAttempts[key.GroupId])
            {
                Remove(new GroupAttempt(key.GroupId, attempt));
            }
            _openAttempts.Remove(key.GroupId);
            _scored.Add(key.GroupId, key.Attempt);
            return group.Samples();
        }
    }

    /// <summary>Marks a group scored without its samples (replayed from the log).</summary>
    public void MarkScored(string groupId, uint attempt)
    {
        lock (_lock)
        {
            _scored.Add(groupId, attempt);
        }
    }

    /// <summary>Forgets that a group was scored (its record could not be persisted, so nobody was told).</summary>
    public void Forget(string groupId)
    {
        lock (_lock)
        {
            _scored.Remove(groupId);
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
                Remove(g.Key);
                var attempts = _openAttempts[g.Key.GroupId];
                attempts.Remove(g.Key.Attempt);
                if (attempts.Count == 0)
                {
                    _openAttempts.Remove(g.Key.GroupId);
                }
                _expired.Add(g.Key, true);
            }
            return expired;
        }
    }

    private void Remove(GroupAttempt key)
    {
        if (_pending.Remove(key, out var group))
        {
            _pendingBytes -= group.Bytes;
        }
    }

    private static RpcException Exhausted(string message) => new(new Status(StatusCode.ResourceExhausted, message));
}
