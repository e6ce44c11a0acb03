using MmUpt.Contracts.V1;
using MmUpt.Training.Collect;
using MmUpt.Training.Loop;

namespace MmUpt.Learner.Loop;

/// <summary>What the running step loop reports through <c>LearnerService.GetStatus</c>, the progress display and metrics.</summary>
public sealed class LoopStatus(TimeProvider? time = null)
{
    /// <summary>The window of <see cref="RolloutTokensPerSecond"/>.</summary>
    public static readonly TimeSpan TokenWindow = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Queue<(long At, long Tokens)> _tokens = new();
    private long? _rolloutStart;

    public LearnerPhase Phase { get; private set; } = LearnerPhase.Idle;
    public string Stage { get; private set; } = "";
    public long Step { get; private set; }
    public long TotalSteps { get; private set; }
    public ulong WeightsVersion { get; private set; }
    public int GroupsDone { get; private set; }
    public int GroupsWanted { get; private set; }
    public string Guard { get; private set; } = "ok";
    public IReadOnlyDictionary<string, double> LastMetrics { get; private set; } = new Dictionary<string, double>();
    public TimeSpan? Eta { get; private set; }
    /// <summary>The last completed step's summary line (<see cref="StepRecord.ToLine"/>); empty before the first step.</summary>
    public string LastLine { get; private set; } = "";
    /// <summary>The last completed step's vote metrics; null before the first step.</summary>
    public VoteSummary? LastVotes { get; private set; }

    public void Enter(LearnerPhase phase, string? stage = null, long? step = null, long? total = null)
    {
        lock (_lock)
        {
            Phase = phase;
            if (phase == LearnerPhase.Rollout) _rolloutStart ??= _time.GetTimestamp();
            if (stage is not null) Stage = stage;
            if (step is { } s) Step = s;
            if (total is { } t) TotalSteps = t;
        }
    }

    public void Progress(int done, int wanted)
    {
        lock (_lock) (GroupsDone, GroupsWanted) = (done, wanted);
    }

    public void Completed(long step, ulong version, IReadOnlyDictionary<string, double> metrics, string guard, TimeSpan? eta)
    {
        lock (_lock) (Step, WeightsVersion, LastMetrics, Guard, Eta) = (step, version, metrics, guard, eta);
    }

    public void SetGuard(string guard)
    {
        lock (_lock) Guard = guard;
    }

    /// <summary>Keeps a completed step's summary line and vote metrics for status, progress and metrics.</summary>
    public void Recorded(StepRecord record)
    {
        lock (_lock) (LastLine, LastVotes) = (record.ToLine(), record.Votes);
    }

    /// <summary>Counts the tokens of one answered Generate (<c>GenerateResponse.generated_tokens</c>).</summary>
    public void Generated(long tokens)
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            _rolloutStart ??= now;
            _tokens.Enqueue((now, tokens));
        }
    }

    /// <summary>Rollout tokens per second over the last <see cref="TokenWindow"/> (or since the first rollout phase began, if shorter).</summary>
    public double RolloutTokensPerSecond
    {
        get
        {
            lock (_lock)
            {
                if (_rolloutStart is not { } first) return 0;
                while (_tokens.TryPeek(out var t) && _time.GetElapsedTime(t.At) > TokenWindow) _tokens.Dequeue();
                var seconds = Math.Min(TokenWindow.TotalSeconds, _time.GetElapsedTime(first).TotalSeconds);
                return seconds <= 0 ? 0 : _tokens.Sum(t => t.Tokens) / seconds;
            }
        }
    }
}
