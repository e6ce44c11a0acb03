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

    public long Scored => Interlocked.Read(ref _scored);

    public long Expired => Interlocked.Read(ref _expired);

    public long Rejected => Interlocked.Read(ref _rejected);

    public long Recovered => Interlocked.Read(ref _recovered);

    public void GroupsRecovered(int count) => Interlocked.Add(ref _recovered, count);

    public void SampleAccepted()
    {
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

    public void SampleRejected() => Interlocked.Increment(ref _rejected);

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
