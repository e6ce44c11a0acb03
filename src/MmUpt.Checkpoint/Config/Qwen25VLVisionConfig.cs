using System.Text.Json;
using System.Text.Json.Serialization;

namespace MmUpt.Checkpoint;

/// <summary>
/// <c>vision_config</c> of Qwen2.5-VL. Defaults are transformers' <c>Qwen2_5_VLVisionConfig</c> defaults, so a file saved
/// by transformers (which omits fields equal to their defaults) reads as transformers reads it.
/// </summary>
public sealed class Qwen25VLVisionConfig
{
    [JsonPropertyName("depth")] public int Depth { get; set; } = 32;
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; set; } = 3584;
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; set; } = 3420;
    [JsonPropertyName("num_heads")] public int NumHeads { get; set; } = 16;
    [JsonPropertyName("hidden_act")] public string HiddenAct { get; set; } = "silu";
    [JsonPropertyName("in_chans")] public int? InChans { get; set; }
    [JsonPropertyName("patch_size")] public int PatchSize { get; set; } = 14;
    [JsonPropertyName("spatial_merge_size")] public int SpatialMergeSize { get; set; } = 2;
    [JsonPropertyName("temporal_patch_size")] public int TemporalPatchSize { get; set; } = 2;
    [JsonPropertyName("window_size")] public int WindowSize { get; set; } = 112;
    [JsonPropertyName("fullatt_block_indexes")] public int[] FullattBlockIndexes { get; set; } = [7, 15, 23, 31];
    [JsonPropertyName("tokens_per_second")] public double TokensPerSecond { get; set; } = 4;
    [JsonPropertyName("out_hidden_size")] public int OutHiddenSize { get; set; } = 3584;

    /// <summary>Unknown fields, kept for the round trip (a JsonObject here trips a .NET 10 serializer bug that writes them unnamed).</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }

    /// <summary>Input channels: <c>in_chans</c>, else <c>in_channels</c>, else 3.</summary>
    [JsonIgnore]
    public int InChannels => InChans ?? (Extra is not null && Extra.TryGetValue("in_channels", out var v) ? v.GetInt32() : 3);

    [JsonIgnore] public int HeadDim => NumHeads == 0 ? 0 : HiddenSize / NumHeads;

    /// <summary>Width of one <c>pixel_values</c> row: C · temporal · patch · patch (1176 for Qwen2.5-VL).</summary>
    [JsonIgnore] public int PatchDim => InChannels * TemporalPatchSize * PatchSize * PatchSize;

    /// <summary>Side of an attention window in merged tokens (112 / 14 / 2 = 4 for Qwen2.5-VL).</summary>
    [JsonIgnore] public int WindowMergedTokens => WindowSize / SpatialMergeSize / PatchSize;
}
