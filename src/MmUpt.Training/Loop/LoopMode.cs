namespace MmUpt.Training.Loop;

/// <summary>How rollouts and learning overlap (DESIGN.md §2.6).</summary>
public enum LoopMode
{
    /// <summary>Faithful: every sample of step k comes from the weights version of step k; rollout and learning alternate.</summary>
    Sync,

    /// <summary>Rollouts of step k+1 run while step k learns; samples older than <c>MaxStaleness</c> versions are dropped.</summary>
    Async,
}
