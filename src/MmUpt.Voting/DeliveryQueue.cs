using Grpc.Core;
using MmUpt.Contracts.V1;

namespace MmUpt.Voting;

/// <summary>
/// Scored groups on their way to subscribers, at least once, one queue for the whole pipeline (voting.proto, Delivery).
/// A group leaves the ready queue leased to one subscription until a deadline; when the deadline passes
/// (<see cref="ExpireLeases"/>) or the subscription ends (<see cref="Close"/>) it goes back, in its original order, for any
/// subscription. A subscription's window counts what it was sent and has not acknowledged, expired leases included, so
/// a frozen subscriber stops receiving; a slot frees when that subscriber's consumer acknowledges the key (whoever
/// holds it now) or its stream ends. State is per open subscription only (at most <c>MaxSubscribers</c>, each at
/// most its window of keys); counts and bytes held are kept as running totals, so nothing grows with the number of
/// consumer names and no call scans all groups. Waiters await the change task returned with every result, captured under
/// the lock so no change is missed.
/// </summary>
internal sealed class DeliveryQueue(VotingOptions options, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<long, Entry> _ready = [];
    private readonly Dictionary<GroupAttempt, Entry> _held = [];
    private readonly Dictionary<GroupAttempt, Entry> _leased = [];
    private readonly Dictionary<long, Subscription> _subscriptions = [];
    private TaskCompletionSource _changed = NewSignal();
    private long _sequence;
    private long _subscriptionIds;
    private long _heldBytes;
    private long _leasesExpired;
    private long _delivered;
    private long _acknowledged;

    public (int Ready, int Leased, long Bytes, int Subscribers, long LeasesExpired) Counts()
    {
        lock (_lock)
        {
            return (_ready.Count, _leased.Count, _heldBytes, _subscriptions.Count, _leasesExpired);
        }
    }

    /// <summary>Groups sent to subscribers (redeliveries included) and groups retired by an acknowledgement, since start.</summary>
    public (long Delivered, long Acknowledged) Totals()
    {
        lock (_lock)
        {
            return (_delivered, _acknowledged);
        }
    }

    public (int Groups, long Bytes) Held()
    {
        lock (_lock)
        {
            return (_held.Count, _heldBytes);
        }
    }

    public void Enqueue(ScoredGroup group, long bytes)
    {
        lock (_lock)
        {
            var entry = new Entry(new GroupAttempt(group.GroupId, group.Attempt), group, bytes, _sequence++);
            if (!_held.TryAdd(entry.Key, entry))
            {
                return;
            }
            _ready.Add(entry.Sequence, entry);
            _heldBytes += bytes;
            Signal();
        }
    }

    /// <summary>Opens a subscription, or RESOURCE_EXHAUSTED when <see cref="VotingOptions.MaxSubscribers"/> are open.</summary>
    public Subscription Open(string consumer, int window, TimeSpan ackDeadline)
    {
        lock (_lock)
        {
            if (_subscriptions.Count >= options.MaxSubscribers)
            {
                throw new RpcException(new Status(StatusCode.ResourceExhausted,
                    $"{_subscriptions.Count} Subscribe streams are open (MaxSubscribers); retry later"));
            }
            var subscription = new Subscription(++_subscriptionIds, consumer, window, ackDeadline);
            _subscriptions.Add(subscription.Id, subscription);
            return subscription;
        }
    }

    /// <summary>The next group for this subscription, or null with a task that completes on the next change.</summary>
    public (ScoredGroup? Group, Task Changed) TryTake(Subscription subscription)
    {
        lock (_lock)
        {
            if (subscription.Outstanding.Count >= subscription.Window || _ready.Count == 0)
            {
                return (null, _changed.Task);
            }
            var (sequence, entry) = _ready.First();
            _ready.Remove(sequence);
            entry.LeasedTo = subscription;
            entry.Deadline = time.GetTimestamp() + (long)(subscription.AckDeadline.TotalSeconds * time.TimestampFrequency);
            _leased[entry.Key] = entry;
            subscription.Outstanding.Add(entry.Key);
            _delivered++;
            return (entry.Group, _changed.Task);
        }
    }

    /// <summary>
    /// Retires held groups (leased to anyone, or back in the queue) and frees the window slots of the acknowledging
    /// consumer's subscriptions; returns the keys that were held.
    /// </summary>
    public List<GroupAttempt> Acknowledge(string consumer, IEnumerable<GroupAttempt> keys)
    {
        lock (_lock)
        {
            var acknowledged = new List<GroupAttempt>();
            var own = _subscriptions.Values.Where(s => s.Consumer == consumer).ToList();
            foreach (var key in keys)
            {
                own.ForEach(s => s.Outstanding.Remove(key));
                if (!_held.Remove(key, out var entry))
                {
                    continue;
                }
                if (entry.LeasedTo is { } holder)
                {
                    _leased.Remove(key);
                    holder.Outstanding.Remove(key);
                }
                else
                {
                    _ready.Remove(entry.Sequence);
                }
                _heldBytes -= entry.Bytes;
                _acknowledged++;
                acknowledged.Add(key);
            }
            Signal();
            return acknowledged;
        }
    }

    /// <summary>Puts every group whose lease deadline has passed back in the queue; returns how many.</summary>
    public int ExpireLeases()
    {
        lock (_lock)
        {
            var now = time.GetTimestamp();
            var expired = _leased.Values.Where(e => e.Deadline <= now).ToList();
            foreach (var entry in expired)
            {
                Requeue(entry);
            }
            _leasesExpired += expired.Count;
            if (expired.Count > 0)
            {
                Signal();
            }
            return expired.Count;
        }
    }

    /// <summary>Ends a subscription: its leased groups go back to the queue. Returns how many.</summary>
    public int Close(Subscription subscription)
    {
        lock (_lock)
        {
            _subscriptions.Remove(subscription.Id);
            var released = 0;
            foreach (var key in subscription.Outstanding)
            {
                if (_leased.TryGetValue(key, out var entry) && entry.LeasedTo == subscription)
                {
                    Requeue(entry);
                    released++;
                }
            }
            subscription.Outstanding.Clear();
            Signal();
            return released;
        }
    }

    private void Requeue(Entry entry)
    {
        _leased.Remove(entry.Key);
        entry.LeasedTo = null;
        _ready.Add(entry.Sequence, entry);
    }

    private void Signal()
    {
        var old = _changed;
        _changed = NewSignal();
        old.SetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class Entry(GroupAttempt key, ScoredGroup group, long bytes, long sequence)
    {
        public GroupAttempt Key { get; } = key;

        public ScoredGroup Group { get; } = group;

        public long Bytes { get; } = bytes;

        public long Sequence { get; } = sequence;

        public Subscription? LeasedTo { get; set; }

        /// <summary><see cref="TimeProvider"/> timestamp when the lease ends.</summary>
        public long Deadline { get; set; }
    }

    /// <summary>One open Subscribe stream: its window and the keys it was sent and has not acknowledged.</summary>
    internal sealed class Subscription(long id, string consumer, int window, TimeSpan ackDeadline)
    {
        public long Id { get; } = id;

        public string Consumer { get; } = consumer;

        public int Window { get; } = window;

        public TimeSpan AckDeadline { get; } = ackDeadline;

        public HashSet<GroupAttempt> Outstanding { get; } = [];
    }
}
