namespace MmUpt.Training.Guard;

/// <summary>The guard's verdict on one step.</summary>
/// <param name="Triggered">Whether the stage must stop now.</param>
/// <param name="Reason">Why, in one line naming the rule and the figures (null when not triggered).</param>
/// <param name="LastGoodVersion">The newest weights version no rule objected to (the rollback target).</param>
/// <param name="LastGoodStep">The step that produced <paramref name="LastGoodVersion"/> (0 = the stage's start).</param>
public sealed record GuardDecision(bool Triggered, string? Reason, ulong LastGoodVersion, long LastGoodStep);
