namespace MmUpt.Checkpoint;

/// <summary>The two tensor-name layouts of Qwen2.5-VL checkpoints on the hub.</summary>
public enum WeightNameLayout
{
    /// <summary>The original release: <c>model.*</c> (decoder), <c>visual.*</c>, <c>lm_head.weight</c>. Our canonical layout.</summary>
    Flat,

    /// <summary>transformers ≥ 4.52 <c>Qwen25VLModel</c>: <c>model.language_model.*</c>, <c>model.visual.*</c>, <c>lm_head.weight</c>.</summary>
    Nested,
}
