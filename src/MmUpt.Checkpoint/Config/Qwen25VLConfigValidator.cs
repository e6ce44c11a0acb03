namespace MmUpt.Checkpoint;

/// <summary>
/// Every invariant of a Qwen2.5-VL config.json that the TorchSharp model, the ONNX export and the processor rely on,
/// each failure one message naming the config field. The one validator: the model, the exporter and the processor all
/// call <see cref="Qwen25VLConfig.Validate"/>.
/// <para>
/// Sizes are range-checked before anything is allocated. The upper bounds admit every published Qwen2.5-VL
/// (3B/7B/32B/72B: vocab 152,064, hidden ≤ 8,192, intermediate ≤ 29,568, ≤ 80 layers, ≤ 64 heads; vision depth 32,
/// hidden 1,280) with wide margin, and refuse absurd files (<c>num_hidden_layers: 1000000</c>) at once.
/// </para>
/// </summary>
public static class Qwen25VLConfigValidator
{
    public const string ModelType = "qwen2_5_vl";
    public const string Architecture = "Qwen2_5_VLForConditionalGeneration";

    public const int MaxVocab = 1 << 20;
    public const int MaxHidden = 1 << 16;
    public const int MaxIntermediate = 1 << 18;
    public const int MaxLayers = 1024;
    public const int MaxHeads = 1024;
    public const int MaxPositions = 1 << 24;

    public static IReadOnlyList<string> Check(Qwen25VLConfig c)
    {
        var e = new List<string>();
        if (c.ModelType != ModelType) e.Add($"model_type must be \"{ModelType}\" (got \"{c.ModelType}\")");
        if (c.Architectures is { Length: > 0 } archs && !archs.Contains(Architecture))
            e.Add($"architectures must include {Architecture} (got {string.Join(", ", archs)})");
        Range(e, "vocab_size", c.VocabSize, MaxVocab);
        Range(e, "hidden_size", c.HiddenSize, MaxHidden);
        Range(e, "intermediate_size", c.IntermediateSize, MaxIntermediate);
        Range(e, "num_hidden_layers", c.NumHiddenLayers, MaxLayers);
        Range(e, "num_attention_heads", c.NumAttentionHeads, MaxHeads);
        Range(e, "num_key_value_heads", c.NumKeyValueHeads, MaxHeads);
        Range(e, "max_position_embeddings", c.MaxPositionEmbeddings, MaxPositions);
        if (c.NumAttentionHeads > 0 && c.HiddenSize % c.NumAttentionHeads != 0)
            e.Add($"hidden_size ({c.HiddenSize}) must be a multiple of num_attention_heads ({c.NumAttentionHeads})");
        if (c.NumKeyValueHeads > 0 && c.NumAttentionHeads % c.NumKeyValueHeads != 0)
            e.Add($"num_attention_heads ({c.NumAttentionHeads}) must be a multiple of num_key_value_heads ({c.NumKeyValueHeads})");
        if (c.HeadDim % 2 != 0) e.Add($"head_dim (hidden_size/num_attention_heads = {c.HeadDim}) must be even");
        if (c.HiddenAct != "silu") e.Add($"hidden_act must be \"silu\" (got \"{c.HiddenAct}\")");
        if (!(c.RmsNormEps > 0 && double.IsFinite(c.RmsNormEps))) e.Add($"rms_norm_eps must be finite and > 0 (got {c.RmsNormEps})");
        if (!(c.RopeTheta > 0 && double.IsFinite(c.RopeTheta))) e.Add($"rope_theta must be finite and > 0 (got {c.RopeTheta})");

        var section = c.MropeSection;
        if (c.RopeScaling is null) e.Add("rope_scaling is missing (Qwen2.5-VL needs rope_scaling.mrope_section)");
        else if (section.Count != 3) e.Add($"rope_scaling.mrope_section must have 3 entries (t, h, w), got {section.Count}");
        else if (section.Any(s => s < 0) || section.Sum() != c.HeadDim / 2)
            e.Add($"sum(rope_scaling.mrope_section) = {section.Sum()} must equal head_dim/2 = {c.HeadDim / 2} with no negative entry");

        if (c.EosTokenIds().Count == 0) e.Add("eos_token_id is missing (generation needs at least one end-of-sequence id)");
        foreach (var (name, id) in TokenIds(c))
        {
            if (id < 0 || id >= c.VocabSize) e.Add($"{name} ({id}) must be in [0, vocab_size = {c.VocabSize})");
        }
        var distinct = new[] { c.ImageTokenId, c.VideoTokenId, c.VisionStartTokenId, c.VisionEndTokenId };
        if (distinct.Distinct().Count() != distinct.Length)
            e.Add("image_token_id, video_token_id, vision_start_token_id and vision_end_token_id must all differ");

        CheckVision(e, c.VisionConfig, c.HiddenSize);
        return e;
    }

    private static void CheckVision(List<string> e, Qwen25VLVisionConfig v, int textHidden)
    {
        Range(e, "vision_config.depth", v.Depth, MaxLayers);
        Range(e, "vision_config.hidden_size", v.HiddenSize, MaxHidden);
        Range(e, "vision_config.intermediate_size", v.IntermediateSize, MaxIntermediate);
        Range(e, "vision_config.num_heads", v.NumHeads, MaxHeads);
        Range(e, "vision_config.patch_size", v.PatchSize, 256);
        Range(e, "vision_config.temporal_patch_size", v.TemporalPatchSize, 16);
        Range(e, "vision_config.in_channels", v.InChannels, 16);
        Range(e, "vision_config.window_size", v.WindowSize, 1 << 16);
        // The merger concatenates 2×2 patches and the processor, the window tiling and the ONNX vision graph assume it.
        if (v.SpatialMergeSize != 2) e.Add($"vision_config.spatial_merge_size must be 2 (got {v.SpatialMergeSize})");
        if (v.NumHeads > 0 && v.HiddenSize % v.NumHeads != 0)
            e.Add($"vision_config.hidden_size ({v.HiddenSize}) must be a multiple of vision_config.num_heads ({v.NumHeads})");
        // 2-D rotary: half the head for rows, half for columns, each half rotated by rotate_half.
        if (v.HeadDim % 4 != 0) e.Add($"vision head_dim (hidden_size/num_heads = {v.HeadDim}) must be a multiple of 4");
        if (v.HiddenAct != "silu") e.Add($"vision_config.hidden_act must be \"silu\" (got \"{v.HiddenAct}\")");
        if (v.OutHiddenSize != textHidden)
            e.Add($"vision_config.out_hidden_size ({v.OutHiddenSize}) must equal hidden_size ({textHidden})");
        var unit = v.PatchSize * v.SpatialMergeSize;
        if (unit > 0 && v.WindowSize % unit != 0)
            e.Add($"vision_config.window_size ({v.WindowSize}) must be a positive multiple of patch_size*spatial_merge_size ({unit})");
        if (!(v.TokensPerSecond >= 0 && double.IsFinite(v.TokensPerSecond)))
            e.Add($"vision_config.tokens_per_second must be finite and >= 0 (got {v.TokensPerSecond})");
        foreach (var i in v.FullattBlockIndexes)
        {
            if (i < 0 || i >= v.Depth) e.Add($"vision_config.fullatt_block_indexes entry {i} must be in [0, depth = {v.Depth})");
        }
        if (v.FullattBlockIndexes.Distinct().Count() != v.FullattBlockIndexes.Length)
            e.Add("vision_config.fullatt_block_indexes has duplicates");
    }

    private static IEnumerable<(string, int)> TokenIds(Qwen25VLConfig c)
    {
        yield return ("image_token_id", c.ImageTokenId);
        yield return ("video_token_id", c.VideoTokenId);
        yield return ("vision_start_token_id", c.VisionStartTokenId);
        yield return ("vision_end_token_id", c.VisionEndTokenId);
        yield return ("vision_token_id", c.VisionTokenId);
        if (c.BosTokenId is { } bos) yield return ("bos_token_id", bos);
        if (c.PadTokenId is { } pad) yield return ("pad_token_id", pad);
        foreach (var eos in c.EosTokenIds()) yield return ("eos_token_id", eos);
    }

    private static void Range(List<string> e, string name, int value, int max)
    {
        if (value <= 0 || value > max) e.Add($"{name} must be in [1, {max}] (got {value})");
    }
}
