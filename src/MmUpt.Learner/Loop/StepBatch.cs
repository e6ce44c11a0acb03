using MmUpt.Contracts.V1;

namespace MmUpt.Learner.Loop;

/// <summary>One step's B scored groups and the time it took to get them (rollout, then the voting tail).</summary>
public sealed record StepBatch(long Step, IReadOnlyList<ScoredGroup> Groups, TimeSpan Rollout, TimeSpan Vote, long GeneratedTokens);
