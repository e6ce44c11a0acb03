namespace MmUpt.Onnx.Qwen25VL;

/// <summary>
/// The config.json values the export needs (text decoder at the top level as in the HF Qwen2.5-VL config,
/// vision tower in <see cref="Vision"/>). Token ids are those of the checkpoint's tokenizer.
/// </summary>
public sealed record Qwen25VLArchitecture
{
    public required int HiddenSize { get; init; }
    public required int IntermediateSize { get; init; }
    public required int NumHiddenLayers { get; init; }
    public required int NumAttentionHeads { get; init; }
    public required int NumKeyValueHeads { get; init; }
    public required int VocabSize { get; init; }
    public double RmsNormEps { get; init; } = 1e-6;
    public double RopeTheta { get; init; } = 1_000_000.0;
    /// <summary>mRoPE split of the rotary half-dimension into (temporal, height, width); sums to head_dim/2.</summary>
    public required int[] MropeSection { get; init; }
    public bool TieWordEmbeddings { get; init; }
    public int MaxPositionEmbeddings { get; init; } = 128_000;
    public string HiddenAct { get; init; } = "silu";
    public int? BosTokenId { get; init; }
    public required int[] EosTokenIds { get; init; }
    public required int ImageTokenId { get; init; }
    public required int VideoTokenId { get; init; }
    public required int VisionStartTokenId { get; init; }
    /// <summary><c>&lt;|vision_pad|&gt;</c> (config <c>vision_token_id</c>): never written by the chat template or the processor.</summary>
    public int? VisionPadTokenId { get; init; }
    /// <summary>Ids the policy must never emit (<see cref="MmUpt.Checkpoint.NeverSampledTokens"/>); the decoder can pin their logits at −inf.</summary>
    public int[] NeverSampledTokenIds { get; init; } = [];
    public required Qwen25VLVisionArchitecture Vision { get; init; }

    public int HeadDim => HiddenSize / NumAttentionHeads;

    /// <summary>Throws <see cref="CheckpointRejectedException"/> naming the first field the export cannot represent.</summary>
    public void Validate()
    {
        Require(HiddenSize > 0, "hidden_size", $"must be > 0 (got {HiddenSize})");
        Require(NumAttentionHeads > 0 && HiddenSize % NumAttentionHeads == 0, "num_attention_heads",
            $"must divide hidden_size {HiddenSize} (got {NumAttentionHeads})");
        Require(NumKeyValueHeads > 0 && NumAttentionHeads % NumKeyValueHeads == 0, "num_key_value_heads",
            $"must divide num_attention_heads {NumAttentionHeads} (got {NumKeyValueHeads})");
        Require(HeadDim % 2 == 0, "hidden_size", $"head_dim {HeadDim} must be even for rotary embeddings");
        Require(MropeSection.Length == 3 && MropeSection.All(s => s >= 0) && MropeSection.Sum() == HeadDim / 2,
            "rope_scaling.mrope_section", $"must be 3 sizes summing to head_dim/2 = {HeadDim / 2} (got [{string.Join(",", MropeSection)}])");
        Require(IntermediateSize > 0, "intermediate_size", $"must be > 0 (got {IntermediateSize})");
        Require(NumHiddenLayers > 0, "num_hidden_layers", $"must be > 0 (got {NumHiddenLayers})");
        Require(VocabSize > 0, "vocab_size", $"must be > 0 (got {VocabSize})");
        Require(HiddenAct == "silu", "hidden_act", $"only silu is exported (got {HiddenAct})");
        Require(EosTokenIds.Length > 0 && EosTokenIds.All(e => e >= 0 && e < VocabSize), "eos_token_id",
            $"needs at least one id below vocab_size {VocabSize}");
        foreach (var (id, field) in new[] { (ImageTokenId, "image_token_id"), (VisionStartTokenId, "vision_start_token_id") })
        {
            Require(id >= 0 && id < VocabSize, field, $"must be below vocab_size {VocabSize} (got {id})");
        }
        Vision.Validate(HiddenSize);
    }

    internal static void Require(bool ok, string field, string message)
    {
        if (!ok)
        {
            throw new CheckpointRejectedException($"config.json {field}: {message}");
        }
    }
}
