using MmUpt.Checkpoint;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MmUpt.Onnx.Qwen25VL;

/// <summary>
/// genai_config.json for <c>type: "qwen2_5_vl"</c> (notes/ortgenai-0.18.md §2): the three sessions, the decoder I/O names,
/// KV shape, token ids, and search defaults for RL rollouts (no shared KV buffer since the decoder concatenates;
/// top_k 0 + top_p 1 = the full distribution when sampling).
/// </summary>
public static class GenAiConfig
{
    public const string FileName = "genai_config.json";

    public static JsonObject Build(Qwen25VLConfig a, Qwen25VLFileNames files, int padTokenId, int contextLength)
    {
        var model = new JsonObject
        {
            ["type"] = "qwen2_5_vl",
            ["vocab_size"] = a.VocabSize,
            ["context_length"] = contextLength,
            ["bos_token_id"] = a.BosTokenId ?? a.EosTokenIds()[0],
            ["eos_token_id"] = new JsonArray(a.EosTokenIds().Select(e => (JsonNode)e).ToArray()),
            ["pad_token_id"] = padTokenId,
            ["image_token_id"] = a.ImageTokenId,
            ["video_token_id"] = a.VideoTokenId,
            ["vision_start_token_id"] = a.VisionStartTokenId,
            ["decoder"] = new JsonObject
            {
                ["filename"] = files.Decoder,
                ["session_options"] = SessionOptions(),
                ["hidden_size"] = a.HiddenSize,
                ["num_attention_heads"] = a.NumAttentionHeads,
                ["num_key_value_heads"] = a.NumKeyValueHeads,
                ["num_hidden_layers"] = a.NumHiddenLayers,
                // The KV cache carries a validity channel (DecoderGraph): GenAI allocates it as head_size wide.
                ["head_size"] = DecoderGraph.CacheWidth(a, textOnly: false),
                ["inputs"] = new JsonObject
                {
                    ["inputs_embeds"] = "inputs_embeds",
                    ["attention_mask"] = "attention_mask",
                    ["position_ids"] = "position_ids",
                    ["past_key_names"] = "past_key_values.%d.key",
                    ["past_value_names"] = "past_key_values.%d.value",
                },
                ["outputs"] = new JsonObject
                {
                    ["logits"] = "logits",
                    ["present_key_names"] = "present.%d.key",
                    ["present_value_names"] = "present.%d.value",
                },
            },
            ["embedding"] = new JsonObject
            {
                ["filename"] = files.Embedding,
                ["session_options"] = SessionOptions(),
                ["inputs"] = new JsonObject { ["input_ids"] = "input_ids", ["image_features"] = "image_features" },
                ["outputs"] = new JsonObject { ["inputs_embeds"] = "inputs_embeds" },
            },
            ["vision"] = new JsonObject
            {
                ["filename"] = files.Vision,
                ["config_filename"] = ProcessorConfig.FileName,
                ["session_options"] = SessionOptions(),
                ["spatial_merge_size"] = a.VisionConfig.SpatialMergeSize,
                ["tokens_per_second"] = a.VisionConfig.TokensPerSecond,
                ["patch_size"] = a.VisionConfig.PatchSize,
                ["window_size"] = a.VisionConfig.WindowSize,
                ["inputs"] = new JsonObject { ["pixel_values"] = "pixel_values", ["image_grid_thw"] = "image_grid_thw" },
                ["outputs"] = new JsonObject { ["image_features"] = "image_features" },
            },
        };
        var search = new JsonObject
        {
            ["do_sample"] = false,
            ["early_stopping"] = true,
            ["length_penalty"] = 1.0,
            ["max_length"] = contextLength,
            ["min_length"] = 0,
            ["no_repeat_ngram_size"] = 0,
            ["num_beams"] = 1,
            ["num_return_sequences"] = 1,
            ["past_present_share_buffer"] = false,
            ["repetition_penalty"] = 1.0,
            ["temperature"] = 1.0,
            ["top_k"] = 0,
            ["top_p"] = 1.0,
        };
        return new JsonObject { ["model"] = model, ["search"] = search };
    }

    /// <summary>
    /// The text-only variant: <c>type: "qwen2"</c> (a decoder-only state, the kind whose generators honour
    /// SetActiveAdapter in 0.18), one file with input_ids and 1-D position_ids.
    /// </summary>
    public static JsonObject BuildTextOnly(Qwen25VLConfig a, string fileName, int padTokenId, int contextLength)
    {
        var config = Build(a, Qwen25VLFileNames.Default, padTokenId, contextLength);
        var model = config["model"]!.AsObject();
        model["type"] = "qwen2";
        foreach (var key in new[] { "embedding", "vision", "image_token_id", "video_token_id", "vision_start_token_id" })
        {
            model.Remove(key);
        }
        var decoder = model["decoder"]!.AsObject();
        decoder["filename"] = fileName;
        var inputs = decoder["inputs"]!.AsObject();
        inputs.Remove("inputs_embeds");
        inputs["input_ids"] = "input_ids";
        decoder["head_size"] = DecoderGraph.CacheWidth(a, textOnly: true);
        return config;
    }

    public static void Write(string folder, JsonObject config) =>
        File.WriteAllText(Path.Combine(folder, FileName), config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");

    /// <summary>
    /// No CPU pre-packing of constant weights: a pre-packed weight is a copy made at load, which a weights version
    /// written into the data files in place (the rollout worker's model reuse) would not reach. The text decoder multiplies
    /// its weights from the left (W·xᵀ), which ONNX Runtime does not pre-pack anyway and reads where they lie: turning
    /// pre-packing back on measured no faster (small preset, G = 16, paired: 1.00–1.01× the time).
    /// </summary>
    private static JsonObject SessionOptions() => new()
    {
        ["log_id"] = "onnxruntime-genai",
        ["provider_options"] = new JsonArray(),
        ["session.disable_prepacking"] = "1",
    };
}
