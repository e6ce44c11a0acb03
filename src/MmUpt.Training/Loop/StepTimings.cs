namespace MmUpt.Training.Loop;

/// <summary>
/// Where a step's wall time went. Rollout: first dispatch to the last Generate reply (sampling and streaming to the
/// voting service). Vote: the last Generate reply to the B-th scored group (the voting tail). Learn: the optimizer
/// step(s). Sync: publishing the weights version and SyncWeights on every replica. In async mode rollout overlaps the
/// previous step's learn, so the parts add up to more than the step.
/// </summary>
public sealed record StepTimings(TimeSpan Rollout, TimeSpan Vote, TimeSpan Learn, TimeSpan Sync, TimeSpan Total);
