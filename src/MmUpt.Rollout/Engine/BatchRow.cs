namespace MmUpt.Rollout.Engine;

/// <summary>
/// One row of a batched generator: a prompt, how its group samples, the row's own RNG, the caller's cancellation (a
/// cancelled row stops at the next step and is reported <c>ABORTED</c>), and the callback that receives the row's
/// response the step it finishes (on the generator's thread: it must return quickly).
/// </summary>
public sealed record BatchRow(PreparedPrompt Prompt, GroupSampling Sampling, Random Random, CancellationToken Cancellation,
    Action<RowResult> Finished);
