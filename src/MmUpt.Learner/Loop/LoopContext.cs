using Microsoft.Extensions.Logging;
using MmUpt.Contracts.V1;
using MmUpt.Training.Collect;
using MmUpt.Training.Dispatch;
using MmUpt.Training.Guard;
using MmUpt.Training.Loop;

namespace MmUpt.Learner.Loop;

/// <summary>What every stage of one run shares: options, the replicas and their clients, the collector, the seams.</summary>
public sealed record LoopContext(
    TrainOptions Options,
    CollapseGuardOptions GuardOptions,
    string RunId,
    IPromptSource Prompts,
    IStepTrainer Trainer,
    IWeightPublisher Publisher,
    ReplicaSet Replicas,
    GroupDispatcher<GenerateResponse> Dispatcher,
    ReplicaSync Sync,
    RolloutChannels Channels,
    GroupCollector Collector,
    StalenessPolicy Staleness,
    StepHooks Hooks,
    ILogger Logger)
{
    public LoopStatus Status => Hooks.Status;
}
