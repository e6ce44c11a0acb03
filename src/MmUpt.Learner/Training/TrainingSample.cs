namespace MmUpt.Learner.Training;

/// <summary>
/// One response ready to train on. <see cref="Images"/> is shared by the samples of a group (one prompt) and null for
/// text-only prompts. <see cref="BehaviourLogProbs"/> has one entry per response token (empty for SFT).
/// </summary>
public sealed record TrainingSample(
    string GroupId,
    int Index,
    int[] PromptIds,
    int[] ResponseIds,
    float[] BehaviourLogProbs,
    double Reward,
    PromptImages? Images)
{
    /// <summary>The group-normalised advantage, set by the trainer.</summary>
    public double Advantage { get; set; }

    /// <summary>π_old per response token, set by the trainer (recomputed or behaviour).</summary>
    public float[]? OldLogProbs { get; set; }

    /// <summary>π_ref per response token, set by the trainer when the KL term is on.</summary>
    public float[]? RefLogProbs { get; set; }
}
