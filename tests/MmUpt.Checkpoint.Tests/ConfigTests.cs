using System.Text.Json.Nodes;
using MmUpt.Presets;

namespace MmUpt.Checkpoint.Tests;

public class ConfigTests
{
    // Shape of a real Qwen2.5-VL-3B-Instruct config.json (field values from the notes, §5.1), plus unknown fields.
    internal const string Real3B = """
    {
      "architectures": ["Qwen2_5_VLForConditionalGeneration"],
      "attention_dropout": 0.0,
      "bos_token_id": 151643,
      "eos_token_id": 151645,
      "vision_start_token_id": 151652,
      "vision_end_token_id": 151653,
      "vision_token_id": 151654,
      "image_token_id": 151655,
      "video_token_id": 151656,
      "hidden_act": "silu",
      "hidden_size": 2048,
      "initializer_range": 0.02,
      "intermediate_size": 11008,
      "max_position_embeddings": 128000,
      "max_window_layers": 70,
      "model_type": "qwen2_5_vl",
      "num_attention_heads": 16,
      "num_hidden_layers": 36,
      "num_key_value_heads": 2,
      "rms_norm_eps": 1e-06,
      "rope_theta": 1000000.0,
      "sliding_window": 32768,
      "tie_word_embeddings": true,
      "torch_dtype": "bfloat16",
      "transformers_version": "4.41.2",
      "use_cache": true,
      "use_sliding_window": false,
      "my_unknown_field": {"nested": [1, 2, {"x": null}]},
      "vision_config": {
        "depth": 32, "hidden_act": "silu", "hidden_size": 1280, "intermediate_size": 3420, "num_heads": 16,
        "in_chans": 3, "out_hidden_size": 2048, "patch_size": 14, "spatial_merge_size": 2, "spatial_patch_size": 14,
        "window_size": 112, "fullatt_block_indexes": [7, 15, 23, 31], "tokens_per_second": 2, "temporal_patch_size": 2,
        "vision_unknown": "kept"
      },
      "rope_scaling": {"type": "mrope", "mrope_section": [16, 24, 24], "scaling_unknown": 7},
      "vocab_size": 151936
    }
    """;

    [Fact]
    public void RealConfigParsesValidatesAndRoundTripsIncludingUnknownFields()
    {
        var c = Qwen25VLConfigJson.Parse(Real3B);
        c.Validate();
        Assert.Equal(128, c.HeadDim);
        Assert.Equal([16, 24, 24], c.MropeSection);
        Assert.Equal(80, c.VisionConfig.HeadDim);
        Assert.Equal(1176, c.VisionConfig.PatchDim);
        Assert.Equal(4, c.VisionConfig.WindowMergedTokens);
        Assert.Equal([151645], c.EosTokenIds());
        var again = JsonNode.Parse(Qwen25VLConfigJson.Serialize(c));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Real3B), again), again!.ToJsonString());
    }

    [Fact]
    public void TextConfigFieldsAreLiftedButNotDuplicatedOnWrite()
    {
        var root = JsonNode.Parse(Real3B)!.AsObject();
        var text = new JsonObject();
        foreach (var key in new[] { "hidden_size", "num_attention_heads", "rope_scaling", "vocab_size" })
        {
            text[key] = root[key]!.DeepClone();
            root.Remove(key);
        }
        root["text_config"] = text;
        var c = Qwen25VLConfigJson.Parse(root.ToJsonString());
        c.Validate();
        Assert.Equal(2048, c.HiddenSize);
        Assert.True(JsonNode.DeepEquals(root, JsonNode.Parse(Qwen25VLConfigJson.Serialize(c))));
    }

    [Fact]
    public void BrokenInvariantsAreAllNamed()
    {
        var c = Qwen25VLConfigJson.Parse(Real3B);
        c.RopeScaling!.MropeSection = [16, 24, 20];
        c.NumKeyValueHeads = 3;
        c.VisionConfig.FullattBlockIndexes = [40];
        c.ImageTokenId = 200000;
        var ex = Assert.Throws<CheckpointFormatException>(() => c.Validate());
        Assert.Contains("mrope_section", ex.Message);
        Assert.Contains("head_dim/2 = 64", ex.Message);
        Assert.Contains("num_key_value_heads (3)", ex.Message);
        Assert.Contains("fullatt_block_indexes entry 40", ex.Message);
        Assert.Contains("image_token_id (200000)", ex.Message);
    }

    [Fact]
    public void PresetsAreValidAndMeetTheCoverageRules()
    {
        foreach (var p in CheckpointPreset.All)
        {
            var c = p.Build(600);
            Assert.NotEqual(c.NumAttentionHeads, c.NumKeyValueHeads);
            Assert.True(c.MropeSection.Distinct().Count() > 1, "uneven mRoPE split");
            Assert.Contains(c.VisionConfig.FullattBlockIndexes, i => i < c.VisionConfig.Depth);
            Assert.True(c.VisionConfig.Depth > c.VisionConfig.FullattBlockIndexes.Length, "at least one windowed block");
            Assert.True(c.VisionConfig.WindowMergedTokens < 5, "windows partition a 5x5 merged-token image");
        }
    }
}
