using MmUpt.Contracts.V1;

namespace MmUpt.Learner.Loop;

/// <summary>The learner's update on one step's scored groups (GRPO on the live policy); returns the step metrics by name.</summary>
public interface IStepTrainer
{
    Task<IReadOnlyDictionary<string, double>> TrainAsync(IReadOnlyList<ScoredGroup> groups, long step, CancellationToken cancellationToken);
}
