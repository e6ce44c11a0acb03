using MmUpt.Contracts.V1;

namespace MmUpt.Learner.Loop;

/// <summary>What the running step loop reports through <c>LearnerService.GetStatus</c>, the progress display and metrics.</summary>
public sealed class LoopStatus
{
    private readonly Lock _lock = new();

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

    public void Enter(LearnerPhase phase, string? stage = null, long? step = null, long? total = null)
    {
        lock (_lock)
        {
            Phase = phase;
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
}
