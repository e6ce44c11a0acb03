namespace MmUpt.Checkpoint;

/// <summary>The invariants the model code relies on, each failure as one message naming the config field.</summary>
public static class Qwen25VLConfigValidator
{
    public static IReadOnlyList<string> Check(Qwen25VLConfig c)
    {
        var e = new List<string>();
        Positive(e, "vocab_size", c.VocabSize);
        Positive(e, "hidden_size", c.HiddenSize);
        Positive(e, "intermediate_size", c.IntermediateSize);
        Positive(e, "num_hidden_layers", c.NumHiddenLayers);
        Positive(e, "num_attention_heads", c.NumAttentionHeads);
        Positive(e, "num_key_value_heads", c.NumKeyValueHeads);
        if (c.NumAttentionHeads > 0 && c.HiddenSize % c.NumAttentionHeads != 0)
            e.Add($"hidden_size ({c.HiddenSize}) must be a multiple of num_attention_heads ({c.NumAttentionHeads})");
        if (c.NumKeyValueHeads > 0 && c.NumAttentionHeads % c.NumKeyValueHeads != 0)
            e.Add($"num_attention_heads ({c.NumAttentionHeads}) must be a multiple of num_key_value_heads ({c.NumKeyValueHeads})");
        if (c.HeadDim % 2 != 0) e.Add($"head_dim (hidden_size/num_attention_heads = {c.HeadDim}) must be even");
        if (c.HiddenAct != "silu") e.Add($"hidden_act must be \"silu\" (got \"{c.HiddenAct}\")");
        if (!(c.RmsNormEps > 0)) e.Add($"rms_norm_eps must be > 0 (got {c.RmsNormEps})");
        if (!(c.RopeTheta > 0)) e.Add($"rope_theta must be > 0 (got {c.RopeTheta})");

        var section = c.MropeSection;
        if (c.RopeScaling is null) e.Add("rope_scaling is missing (Qwen2.5-VL needs rope_scaling.mrope_section)");
        else if (section.Count != 3) e.Add($"rope_scaling.mrope_section must have 3 entries (t, h, w), got {section.Count}");
        else if (section.Any(s => s < 0) || section.Sum() != c.HeadDim / 2)
            e.Add($"sum(rope_scaling.mrope_section) = {section.Sum()} must equal head_dim/2 = {c.HeadDim / 2} with no negative entry");

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
        Positive(e, "vision_config.depth", v.Depth);
        Positive(e, "vision_config.hidden_size", v.HiddenSize);
        Positive(e, "vision_config.intermediate_size", v.IntermediateSize);
        Positive(e, "vision_config.num_heads", v.NumHeads);
        Positive(e, "vision_config.patch_size", v.PatchSize);
        Positive(e, "vision_config.temporal_patch_size", v.TemporalPatchSize);
        Positive(e, "vision_config.spatial_merge_size", v.SpatialMergeSize);
        if (v.NumHeads > 0 && v.HiddenSize % v.NumHeads != 0)
            e.Add($"vision_config.hidden_size ({v.HiddenSize}) must be a multiple of vision_config.num_heads ({v.NumHeads})");
        // 2-D rotary: half the head for rows, half for columns, each half rotated by rotate_half.
        if (v.HeadDim % 4 != 0) e.Add($"vision head_dim (hidden_size/num_heads = {v.HeadDim}) must be a multiple of 4");
        if (v.HiddenAct != "silu") e.Add($"vision_config.hidden_act must be \"silu\" (got \"{v.HiddenAct}\")");
        if (v.OutHiddenSize != textHidden)
            e.Add($"vision_config.out_hidden_size ({v.OutHiddenSize}) must equal hidden_size ({textHidden})");
        var unit = v.PatchSize * v.SpatialMergeSize;
        if (v.WindowSize <= 0 || unit > 0 && v.WindowSize % unit != 0)
            e.Add($"vision_config.window_size ({v.WindowSize}) must be a positive multiple of patch_size*spatial_merge_size ({unit})");
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

    private static void Positive(List<string> e, string name, int value)
    {
        if (value <= 0) e.Add($"{name} must be > 0 (got {value})");
    }
}
