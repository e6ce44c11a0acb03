namespace MmUpt.Training.Loop;

/// <summary>One stage of a recipe ("first SFT, then UPT", with evaluations between).</summary>
public enum StageKind
{
    /// <summary>Supervised fine-tuning on a labelled dataset (cross-entropy on the reference responses).</summary>
    Sft,

    /// <summary>Unsupervised post-training: GRPO on majority-vote rewards; labels are never read.</summary>
    Upt,

    /// <summary>Evaluation of the current weights on a labelled dataset.</summary>
    Eval,
}
