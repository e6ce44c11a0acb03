using MmUpt.Contracts.V1;

namespace MmUpt.Learner.Training;

/// <summary>A validated scored group: its trained samples, and the message itself (kept for checkpoints and acknowledgement).</summary>
public sealed record PreparedGroup(ScoredGroup Source, IReadOnlyList<TrainingSample> Samples)
{
    public string GroupId => Source.GroupId;

    public GroupKey Key => new() { GroupId = Source.GroupId, Attempt = Source.Attempt };
}
