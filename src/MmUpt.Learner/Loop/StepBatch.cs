using MmUpt.Contracts.V1;

namespace MmUpt.Learner.Loop;

/// <summary>
/// One step's B scored groups, the time it took to get them (rollout, then the voting tail), and the dataset cursor just
/// after its prompts (what a checkpoint of this step saves, whatever later steps have already read).
/// </summary>
public sealed record StepBatch(long Step, IReadOnlyList<ScoredGroup> Groups, TimeSpan Rollout, TimeSpan Vote, long GeneratedTokens, string Cursor)
{
    /// <summary>The oldest weights version any trained sample came from (what the step's vote metrics describe).</summary>
    public ulong SampleVersion => Groups.SelectMany(g => g.Samples).Select(s => s.Sample?.WeightsVersion ?? 0).DefaultIfEmpty(0UL).Min();
}
