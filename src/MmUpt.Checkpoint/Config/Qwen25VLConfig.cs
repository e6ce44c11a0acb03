using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace MmUpt.Checkpoint;

/// <summary>
/// <c>config.json</c> of a Qwen2.5-VL checkpoint (transformers <c>Qwen25VLConfig</c>, flat layout: the text fields at
/// the top level, the vision tower under <c>vision_config</c>). Fields this class does not name are kept in
/// <see cref="Extra"/> and written back unchanged. Read and write with <see cref="Qwen25VLConfigJson"/>.
/// </summary>
public sealed class Qwen25VLConfig
{
    [JsonPropertyName("architectures")] public string[]? Architectures { get; set; }
    [JsonPropertyName("model_type")] public string ModelType { get; set; } = "qwen2_5_vl";
    [JsonPropertyName("vocab_size")] public int VocabSize { get; set; }
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; set; }
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; set; }
    [JsonPropertyName("num_hidden_layers")] public int NumHiddenLayers { get; set; }
    [JsonPropertyName("num_attention_heads")] public int NumAttentionHeads { get; set; }
    [JsonPropertyName("num_key_value_heads")] public int NumKeyValueHeads { get; set; }
    [JsonPropertyName("hidden_act")] public string HiddenAct { get; set; } = "silu";
    [JsonPropertyName("max_position_embeddings")] public int MaxPositionEmbeddings { get; set; } = 128000;
    [JsonPropertyName("rms_norm_eps")] public double RmsNormEps { get; set; } = 1e-6;
    [JsonPropertyName("rope_theta")] public double RopeTheta { get; set; } = 1000000.0;
    [JsonPropertyName("rope_scaling")] public RopeScalingConfig? RopeScaling { get; set; }
    [JsonPropertyName("tie_word_embeddings")] public bool TieWordEmbeddings { get; set; }
    [JsonPropertyName("torch_dtype")] public string? TorchDtype { get; set; }

    /// <summary>An int or a list of ints in HF files; read it with <see cref="EosTokenIds"/>.</summary>
    [JsonPropertyName("eos_token_id")] public JsonNode? EosTokenId { get; set; }
    [JsonPropertyName("bos_token_id")] public int? BosTokenId { get; set; }
    [JsonPropertyName("pad_token_id")] public int? PadTokenId { get; set; }
    [JsonPropertyName("image_token_id")] public int ImageTokenId { get; set; }
    [JsonPropertyName("video_token_id")] public int VideoTokenId { get; set; }
    [JsonPropertyName("vision_start_token_id")] public int VisionStartTokenId { get; set; }
    [JsonPropertyName("vision_end_token_id")] public int VisionEndTokenId { get; set; }
    [JsonPropertyName("vision_token_id")] public int VisionTokenId { get; set; }

    [JsonPropertyName("vision_config")] public Qwen25VLVisionConfig VisionConfig { get; set; } = new();

    /// <summary>Unknown fields, kept for the round trip (a JsonObject here trips a .NET 10 serializer bug that writes them unnamed).</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }

    /// <summary>Per-head width of the decoder (Qwen2.5-VL has no <c>head_dim</c> field: hidden / heads).</summary>
    [JsonIgnore] public int HeadDim => NumAttentionHeads == 0 ? 0 : HiddenSize / NumAttentionHeads;

    /// <summary><c>rope_scaling.mrope_section</c>: rotary pairs per stream (temporal, height, width).</summary>
    [JsonIgnore] public IReadOnlyList<int> MropeSection => RopeScaling?.MropeSection ?? [];

    /// <summary>The end-of-sequence ids, whether the file holds one int or a list.</summary>
    public IReadOnlyList<int> EosTokenIds() => EosTokenId switch
    {
        null => [],
        JsonArray a => a.Select(n => n!.GetValue<int>()).ToArray(),
        var v => [v.GetValue<int>()],
    };

    /// <summary>Throws <see cref="CheckpointFormatException"/> listing every broken invariant.</summary>
    /// <param name="source">The file named in the message (the path when the config came from a folder).</param>
    public void Validate(string source = Qwen25VLConfigJson.FileName)
    {
        var errors = Qwen25VLConfigValidator.Check(this);
        if (errors.Count > 0)
        {
            throw new CheckpointFormatException($"{source} is not a valid Qwen2.5-VL config:\n  " + string.Join("\n  ", errors));
        }
    }

    /// <summary>A deep copy (through JSON, so extras are copied too).</summary>
    public Qwen25VLConfig Clone() => Qwen25VLConfigJson.Parse(Qwen25VLConfigJson.Serialize(this));
}
