namespace MmUpt.Training.Dispatch;

/// <summary>
/// The live set of rollout replicas. Membership follows <see cref="SetMembers"/> (a static list, or each DNS
/// resolution), so replicas join and leave at any time; a group goes to the ready replica with the fewest outstanding
/// calls, preferring replicas the group has not failed on yet.
/// </summary>
/// <param name="isFault">Failures that count against a replica's circuit.</param>
/// <param name="isBehind">Failures that mean the replica does not serve the version asked for (it restarted): sync it.</param>
public sealed class ReplicaSet(ReplicaOptions options, Func<Exception, bool> isFault, Func<Exception, bool>? isBehind = null)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Replica> _replicas = new(StringComparer.Ordinal);

    /// <summary>Membership changes, circuit transitions, syncs and retries, as one line each (the step log shows them).</summary>
    public event Action<string>? Event;

    public IReadOnlyList<Replica> Snapshot()
    {
        lock (_lock) return [.. _replicas.Values.OrderBy(r => r.Address, StringComparer.Ordinal)];
    }

    /// <summary>Makes the set equal to <paramref name="addresses"/>; returns the replicas that joined (they need a sync).</summary>
    public IReadOnlyList<Replica> SetMembers(IEnumerable<string> addresses)
    {
        var wanted = addresses.Distinct(StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
        var joined = new List<Replica>();
        lock (_lock)
        {
            foreach (var gone in _replicas.Keys.Where(a => !wanted.Contains(a)).ToList())
            {
                _replicas.Remove(gone);
                Raise($"replica {gone} left");
            }
            foreach (var address in wanted.Where(a => !_replicas.ContainsKey(a)))
            {
                var replica = new Replica(address, options, isFault, (r, what) => Raise($"replica {r.Address}: {what}"));
                _replicas[address] = replica;
                joined.Add(replica);
                Raise($"replica {address} joined");
            }
        }
        return joined;
    }

    /// <summary>Replicas that must be synced to <paramref name="version"/> before they serve.</summary>
    public IReadOnlyList<Replica> NeedingSync(ulong version) =>
        Snapshot().Where(r => (r.NeedsSync || r.SyncedVersion != version) && r.Circuit != Polly.CircuitBreaker.CircuitState.Open).ToList();

    /// <summary>Records a successful SyncWeights: the replica serves <paramref name="version"/> from now on.</summary>
    public void MarkSynced(Replica replica, ulong version)
    {
        var back = replica.NeedsSync && replica.SyncedVersion is not null;
        replica.SyncedVersion = version;
        replica.NeedsSync = false;
        Raise(back ? $"replica {replica.Address} is back, synced to v{version}" : $"replica {replica.Address} synced to v{version}");
    }

    /// <summary>Records a failed call; a replica that is behind the asked version is synced again before it next serves.</summary>
    public void MarkFailed(Replica replica, Exception failure)
    {
        replica.Failures++;
        if (isBehind?.Invoke(failure) == true) replica.NeedsSync = true;
    }

    /// <summary>
    /// Chooses and reserves the least-loaded ready replica, avoiding <paramref name="avoid"/> while another is ready;
    /// null when none is ready. Dispose the lease when the call ends.
    /// </summary>
    public ReplicaLease? TryAcquire(ulong minVersion, IReadOnlyCollection<string> avoid)
    {
        lock (_lock)
        {
            var ready = _replicas.Values.Where(r => r.IsReady(minVersion)).ToList();
            var fresh = ready.Where(r => !avoid.Contains(r.Address)).ToList();
            var pick = (fresh.Count > 0 ? fresh : ready)
                .OrderBy(r => r.Outstanding).ThenBy(r => r.Failures).ThenBy(r => r.Address, StringComparer.Ordinal).FirstOrDefault();
            if (pick is null) return null;
            pick.Enter();
            return new ReplicaLease(pick);
        }
    }

    public void Raise(string line) => Event?.Invoke(line);

    /// <summary>How a failure reads in the log (the transport's own summary, without its debug dump); default the message.</summary>
    public Func<Exception, string> Describe { get; init; } = e => e.Message;
}
