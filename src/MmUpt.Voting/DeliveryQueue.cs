using MmUpt.Contracts.V1;

namespace MmUpt.Voting;

/// <summary>
/// Scored groups on their way to consumers, at least once. A group leaves the shared ready queue for one subscription
/// of one consumer and stays outstanding until that consumer acknowledges it. When a subscription ends, its outstanding
/// groups go to the consumer's redelivery queue, which that consumer's next subscription drains first (oldest first).
/// Waiters await the change task that <see cref="TryTake"/> returns, captured under the lock so no change is missed.
/// </summary>
internal sealed class DeliveryQueue
{
    private readonly Lock _lock = new();
    private readonly LinkedList<Entry> _ready = new();
    private readonly Dictionary<string, Consumer> _consumers = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = NewSignal();
    private long _sequence;
    private long _subscriptions;

    /// <summary>Groups held: ready, awaiting redelivery, or outstanding.</summary>
    public int Held
    {
        get
        {
            lock (_lock)
            {
                return _ready.Count + _consumers.Values.Sum(c => c.Redeliver.Count + c.Outstanding.Count);
            }
        }
    }

    public (int Ready, int Unacknowledged) Counts()
    {
        lock (_lock)
        {
            return (_ready.Count + _consumers.Values.Sum(c => c.Redeliver.Count), _consumers.Values.Sum(c => c.Outstanding.Count));
        }
    }

    public void Enqueue(ScoredGroup group)
    {
        lock (_lock)
        {
            _ready.AddLast(new Entry(new GroupAttempt(group.GroupId, group.Attempt), group, _sequence++));
            Signal();
        }
    }

    public long Subscribe() => Interlocked.Increment(ref _subscriptions);

    /// <summary>The next group for this subscription, or null with a task that completes on the next change.</summary>
    public (ScoredGroup? Group, Task Changed) TryTake(string consumer, long subscription, int maxUnacknowledged)
    {
        lock (_lock)
        {
            var state = State(consumer);
            if (state.Outstanding.Values.Count(o => o.Subscription == subscription) >= maxUnacknowledged)
            {
                return (null, _changed.Task);
            }
            Entry? entry = null;
            if (state.Redeliver.Count > 0)
            {
                entry = state.Redeliver[0];
                state.Redeliver.RemoveAt(0);
            }
            else if (_ready.First is { } first)
            {
                entry = first.Value;
                _ready.RemoveFirst();
            }
            if (entry is null)
            {
                return (null, _changed.Task);
            }
            state.Outstanding[entry.Key] = (entry, subscription);
            return (entry.Group, _changed.Task);
        }
    }

    /// <summary>Acknowledges outstanding (or released, awaiting redelivery) groups; returns how many were.</summary>
    public int Acknowledge(string consumer, IEnumerable<GroupAttempt> keys)
    {
        lock (_lock)
        {
            var state = State(consumer);
            var acknowledged = 0;
            foreach (var key in keys)
            {
                if (state.Outstanding.Remove(key) || state.Redeliver.RemoveAll(e => e.Key == key) > 0)
                {
                    acknowledged++;
                }
            }
            Signal();
            return acknowledged;
        }
    }

    /// <summary>Ends a subscription: its unacknowledged groups wait for the consumer's next subscription. Returns how many.</summary>
    public int Release(string consumer, long subscription)
    {
        lock (_lock)
        {
            var state = State(consumer);
            var released = state.Outstanding.Where(o => o.Value.Subscription == subscription).ToList();
            foreach (var (key, (entry, _)) in released)
            {
                state.Outstanding.Remove(key);
                state.Redeliver.Add(entry);
            }
            state.Redeliver.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
            Signal();
            return released.Count;
        }
    }

    private Consumer State(string consumer)
    {
        if (!_consumers.TryGetValue(consumer, out var state))
        {
            _consumers[consumer] = state = new Consumer();
        }
        return state;
    }

    private void Signal()
    {
        var old = _changed;
        _changed = NewSignal();
        old.SetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed record Entry(GroupAttempt Key, ScoredGroup Group, long Sequence);

    private sealed class Consumer
    {
        public List<Entry> Redeliver { get; } = [];

        public Dictionary<GroupAttempt, (Entry Entry, long Subscription)> Outstanding { get; } = [];
    }
}
