using MmUpt.Contracts.V1;
using MmUpt.Learner.Training;

namespace MmUpt.Learner;

/// <summary>The learner's state as <c>GetStatus</c> reports it; written by the training thread, read by RPCs.</summary>
public sealed class LearnerStatusBoard
{
    private readonly Lock _gate = new();
    private LearnerStatus _status = new() { Phase = LearnerPhase.Idle };

    public void Update(Action<LearnerStatus> change)
    {
        lock (_gate)
        {
            var next = _status.Clone();
            change(next);
            _status = next;
        }
    }

    public void StepDone(long step, StepMetrics metrics, int pending)
    {
        Update(s =>
        {
            s.Step = (ulong)step;
            s.LastStepMetrics.Clear();
            foreach (var (k, v) in metrics.Values) s.LastStepMetrics[k] = v;
            s.TokensPerSecond = metrics["tokens_per_second"];
            s.PendingGroups = (uint)pending;
        });
    }

    /// <summary>Replaces the whole status (the step loop publishes its view of itself).</summary>
    public void Set(LearnerStatus status)
    {
        lock (_gate) _status = status.Clone();
    }

    public LearnerStatus Snapshot()
    {
        lock (_gate) return _status.Clone();
    }
}
