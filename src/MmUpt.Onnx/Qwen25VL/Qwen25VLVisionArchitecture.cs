namespace MmUpt.Onnx.Qwen25VL;

/// <summary>The <c>vision_config</c> values of a Qwen2.5-VL config.json.</summary>
public sealed record Qwen25VLVisionArchitecture
{
    public required int Depth { get; init; }
    public required int HiddenSize { get; init; }
    public required int IntermediateSize { get; init; }
    public required int NumHeads { get; init; }
    public int InChannels { get; init; } = 3;
    public int PatchSize { get; init; } = 14;
    public int TemporalPatchSize { get; init; } = 2;
    public int SpatialMergeSize { get; init; } = 2;
    public int WindowSize { get; init; } = 112;
    public int[] FullAttBlockIndexes { get; init; } = [];
    public required int OutHiddenSize { get; init; }
    public double TokensPerSecond { get; init; } = 2;
    public string HiddenAct { get; init; } = "silu";

    public int HeadDim => HiddenSize / NumHeads;

    /// <summary>Columns of one pixel_values row: C·T·P·P (1176 for the real model).</summary>
    public int PatchDim => InChannels * TemporalPatchSize * PatchSize * PatchSize;

    /// <summary>Window side in merged tokens (112 / 2 / 14 = 4 for the real model).</summary>
    public int MergedWindow => WindowSize / SpatialMergeSize / PatchSize;

    internal void Validate(int textHidden)
    {
        static void R(bool ok, string f, string m) => Qwen25VLArchitecture.Require(ok, "vision_config." + f, m);
        R(Depth > 0, "depth", $"must be > 0 (got {Depth})");
        R(NumHeads > 0 && HiddenSize % NumHeads == 0, "num_heads", $"must divide hidden_size {HiddenSize} (got {NumHeads})");
        R(HeadDim % 4 == 0, "hidden_size", $"head_dim {HeadDim} must be divisible by 4 (2-D rotary halves)");
        R(SpatialMergeSize == 2, "spatial_merge_size", $"only 2 is exported (got {SpatialMergeSize})");
        R(TemporalPatchSize > 0 && PatchSize > 0 && InChannels > 0, "patch_size", "patch sizes and in_channels must be > 0");
        R(MergedWindow > 0 && WindowSize % (SpatialMergeSize * PatchSize) == 0, "window_size",
            $"must be a multiple of spatial_merge_size·patch_size = {SpatialMergeSize * PatchSize} (got {WindowSize})");
        R(FullAttBlockIndexes.All(i => i >= 0 && i < Depth), "fullatt_block_indexes", $"indexes must be below depth {Depth}");
        R(OutHiddenSize == textHidden, "out_hidden_size", $"must equal the text hidden_size {textHidden} (got {OutHiddenSize})");
        R(HiddenAct == "silu", "hidden_act", $"only silu is exported (got {HiddenAct})");
    }
}
