namespace MmUpt.Training.Guard;

/// <summary>What the step loop does when the collapse guard triggers.</summary>
public enum GuardAction
{
    /// <summary>Restore the last good weights version and stop the stage.</summary>
    Rollback,

    /// <summary>Stop the stage and keep the current weights.</summary>
    Stop,
}
