namespace MmUpt.Training.Collect;

/// <summary>
/// The step loop's record of every group it issued: the attempt numbers handed out, and the one attempt accepted. It is
/// the guarantee that a group is trained on whole and once: only complete scored groups reach it (the voting service
/// scores a group when all G samples of one attempt arrived), the first acceptable attempt wins, every later attempt or
/// redelivery is a duplicate, and a taken group can never be taken again. Thread-safe.
/// </summary>
public sealed class GroupLedger<T>
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _groups = new(StringComparer.Ordinal);

    public int Accepted { get; private set; }
    public int Duplicates { get; private set; }
    public int Unknown { get; private set; }
    public int Stale { get; private set; }

    /// <summary>Attempts issued beyond the first of each group (retries and hedges).</summary>
    public int ExtraAttempts { get; private set; }

    /// <summary>Opens <paramref name="groupIds"/> for <paramref name="step"/>; a group id may be opened only once per run.</summary>
    public void Open(long step, IEnumerable<string> groupIds)
    {
        lock (_lock)
        {
            foreach (var id in groupIds)
            {
                if (!_groups.TryAdd(id, new Entry(step)))
                    throw new InvalidOperationException($"group {id} was already issued");
            }
        }
    }

    /// <summary>A new attempt number of <paramref name="groupId"/> (0, 1, ...); never handed out twice.</summary>
    public uint NextAttempt(string groupId)
    {
        lock (_lock)
        {
            var e = Get(groupId);
            if (e.Issued > 0) ExtraAttempts++;
            return e.Issued++;
        }
    }

    /// <summary>Offers one scored group; <paramref name="fresh"/> is the staleness verdict on its samples.</summary>
    public OfferVerdict Offer(string groupId, uint attempt, bool fresh, T payload)
    {
        lock (_lock)
        {
            if (!_groups.TryGetValue(groupId, out var e) || attempt >= e.Issued)
            {
                Unknown++;
                return OfferVerdict.Unknown;
            }
            if (e.Payload is not null || e.Taken)
            {
                Duplicates++;
                return OfferVerdict.Duplicate;
            }
            if (e.Replaced)
            {
                return OfferVerdict.Replaced;
            }
            if (!fresh)
            {
                Stale++;
                return OfferVerdict.Stale;
            }
            e.Payload = payload;
            e.Attempt = attempt;
            Accepted++;
            return OfferVerdict.Accepted;
        }
    }

    /// <summary>
    /// Issues the prompt of <paramref name="groupId"/> again under <paramref name="newId"/>, in the same step, and retires
    /// the old id (its later attempts are <see cref="OfferVerdict.Replaced"/>): after a stale attempt, because the voting
    /// service scores a group id once, so a new attempt of the same id would never be scored. The step still takes one
    /// group per prompt.
    /// </summary>
    public void Reissue(string groupId, string newId)
    {
        lock (_lock)
        {
            var e = Get(groupId);
            if (e.Payload is not null || e.Taken || e.Replaced)
                throw new InvalidOperationException($"group {groupId} was already {(e.Replaced ? "re-issued" : "accepted")}");
            if (!_groups.TryAdd(newId, new Entry(e.Step)))
                throw new InvalidOperationException($"group {newId} was already issued");
            e.Replaced = true;
        }
    }

    /// <summary>Groups of <paramref name="step"/> accepted and not yet taken.</summary>
    public int ReadyCount(long step)
    {
        lock (_lock) return _groups.Values.Count(e => e.Step == step && e.Payload is not null && !e.Taken);
    }

    /// <summary>Groups of <paramref name="step"/> not accepted yet (still running, or to be dispatched again).</summary>
    public IReadOnlyList<string> Missing(long step)
    {
        lock (_lock) return [.. _groups.Where(kv => kv.Value.Step == step && kv.Value.Payload is null && !kv.Value.Taken && !kv.Value.Replaced).Select(kv => kv.Key)];
    }

    /// <summary>Takes the accepted groups of <paramref name="step"/> for training, in issue order; they are never returned again.</summary>
    public IReadOnlyList<T> Take(long step)
    {
        lock (_lock)
        {
            var taken = new List<T>();
            foreach (var e in _groups.Values.Where(e => e.Step == step && e.Payload is not null && !e.Taken))
            {
                e.Taken = true;
                taken.Add(e.Payload!);
                e.Payload = default;
            }
            return taken;
        }
    }

    private Entry Get(string groupId) =>
        _groups.TryGetValue(groupId, out var e) ? e : throw new InvalidOperationException($"group {groupId} was never issued");

    private sealed class Entry(long step)
    {
        public long Step { get; } = step;
        public uint Issued { get; set; }
        public uint? Attempt { get; set; }
        public T? Payload { get; set; }
        public bool Taken { get; set; }
        public bool Replaced { get; set; }
    }
}
