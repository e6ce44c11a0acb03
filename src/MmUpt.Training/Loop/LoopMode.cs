namespace MmUpt.Training.Loop;

/// <summary>How rollouts and learning overlap (DESIGN.md §2.6).</summary>
public enum LoopMode
{
    /// <summary>Faithful: every sample of step k comes from the weights version of step k; rollout and learning alternate.</summary>
    Sync,

    /// <summary>
    /// Rollouts of step k+1 run while step k learns; samples more than <c>MaxStaleness</c> versions behind the weights their
    /// step updates are dropped (and their group sampled again under a new id).
    /// </summary>
    Async,
}
