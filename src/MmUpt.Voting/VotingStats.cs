using System.Collections.Concurrent;
using MmUpt.Grading.Voting;

namespace MmUpt.Voting;

/// <summary>Counters, samples per second over the last minute, and the vote metrics of the last 100 scored groups.</summary>
internal sealed class VotingStats(TimeProvider time)
{
    public const int RecentGroups = 100;

    private readonly Lock _lock = new();
    private readonly long[] _perSecond = new long[60];
    private readonly long[] _secondOf = new long[60];
    private readonly Queue<GroupVote> _recent = new();
    private readonly long _start = time.GetTimestamp();
    private long _scored;
    private long _expired;
    private long _rejected;
    private long _recovered;
    private long _accepted;
    private long _backPressure;
    private long _acknowledged;
    private readonly ConcurrentDictionary<string, long> _rejectedBy = new(StringComparer.Ordinal);

    public long Scored => Interlocked.Read(ref _scored);

    public long Expired => Interlocked.Read(ref _expired);

    public long Rejected => Interlocked.Read(ref _rejected);

    public long Recovered => Interlocked.Read(ref _recovered);

    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Samples refused with RESOURCE_EXHAUSTED (the sender retries them); not counted as rejected.</summary>
    public long BackPressure => Interlocked.Read(ref _backPressure);

    /// <summary><see cref="Rejected"/> split by reason: malformed, invalid, already_scored.</summary>
    public IReadOnlyDictionary<string, long> RejectedByReason() => new Dictionary<string, long>(_rejectedBy, StringComparer.Ordinal);

    /// <summary>Moves whenever the service does work for a client: what <see cref="MmUpt.Hosting.IdleMemoryTrimmer"/> watches.</summary>
    public long Activity() => Accepted + Rejected + BackPressure + Recovered + Expired + Interlocked.Read(ref _acknowledged);

    public void GroupsAcknowledged(int count) => Interlocked.Add(ref _acknowledged, count);

    public void GroupsRecovered(int count) => Interlocked.Add(ref _recovered, count);

    public void SampleAccepted()
    {
        Interlocked.Increment(ref _accepted);
        var second = (long)time.GetElapsedTime(_start).TotalSeconds;
        lock (_lock)
        {
            var slot = (int)(second % 60);
            if (_secondOf[slot] != second)
            {
                (_secondOf[slot], _perSecond[slot]) = (second, 0);
            }
            _perSecond[slot]++;
        }
    }

    public void SampleRejected(string reason)
    {
        Interlocked.Increment(ref _rejected);
        _rejectedBy.AddOrUpdate(reason, 1, (_, n) => n + 1);
    }

    public void SampleBackPressured() => Interlocked.Increment(ref _backPressure);

    public void GroupExpired() => Interlocked.Increment(ref _expired);

    public void GroupScored(GroupVote vote)
    {
        Interlocked.Increment(ref _scored);
        lock (_lock)
        {
            _recent.Enqueue(vote);
            if (_recent.Count > RecentGroups)
            {
                _recent.Dequeue();
            }
        }
    }

    /// <summary>Accepted samples per second over the last full minute (or since start, if shorter).</summary>
    public double SamplesPerSecond()
    {
        var elapsed = time.GetElapsedTime(_start).TotalSeconds;
        var now = (long)elapsed;
        lock (_lock)
        {
            long total = 0;
            for (var i = 0; i < 60; i++)
            {
                total += now - _secondOf[i] < 60 ? _perSecond[i] : 0;
            }
            return total / Math.Clamp(elapsed, 1, 60);
        }
    }

    public StepVoteMetrics Recent()
    {
        lock (_lock)
        {
            return StepVoteMetrics.Compute([.. _recent]);
        }
    }
}
