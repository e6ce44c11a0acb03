using MmUpt.Contracts.V1;

namespace MmUpt.Rollout.Engine;

/// <summary>
/// One sampled response: its tokens (the end-of-sequence token included when <see cref="Finish"/> is
/// <see cref="FinishReason.Stop"/>), the behaviour log-probability of each token, and the decoded text.
/// </summary>
public sealed record SampledSequence(int[] TokenIds, float[] LogProbs, FinishReason Finish, string Text);
