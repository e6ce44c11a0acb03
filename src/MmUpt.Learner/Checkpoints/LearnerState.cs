namespace MmUpt.Learner.Checkpoints;

/// <summary>
/// The learner's counters and identities, saved as <c>state.json</c> in every checkpoint (the model, optimizer, RNG
/// and pending groups sit next to it as files).
/// </summary>
public sealed class LearnerState
{
    /// <summary>Completed learner steps (one step = one rollout batch).</summary>
    public long Step { get; set; }

    /// <summary>Applied optimizer steps (drive the warmup).</summary>
    public long OptimizerSteps { get; set; }

    /// <summary>The newest published weights version (0 = the base weights).</summary>
    public ulong WeightsVersion { get; set; }

    /// <summary>Every version this learner published (samples of other versions are rejected).</summary>
    public List<ulong> PublishedVersions { get; set; } = [0];

    /// <summary>The frozen reference: the HF folder it was loaded from and a digest of its config and weight files.</summary>
    public string ReferenceModelId { get; set; } = "";

    /// <summary>The recipe stage the last step belonged to (e.g. <c>1-upt</c>); <see cref="DataCursor"/> is that stage's.</summary>
    public string Stage { get; set; } = "";

    /// <summary>The step loop's position in its dataset (opaque to the trainer); empty when no dataset drives the run.</summary>
    public string DataCursor { get; set; } = "";

    /// <summary>The seed the run started from.</summary>
    public long Seed { get; set; }
}
