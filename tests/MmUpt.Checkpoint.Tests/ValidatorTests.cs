using System.Text.Json.Nodes;

namespace MmUpt.Checkpoint.Tests;

/// <summary>The one validator: every rule the model and the export rely on, with ranges that admit all real sizes.</summary>
public class ValidatorTests
{
    /// <summary>Published config.json sizes of Qwen2.5-VL-32B- and -72B-Instruct (the 3B is <see cref="ConfigTests.Real3B"/>).</summary>
    [Theory]
    [InlineData(152064, 3584, 18944, 28, 28, 4)]    // 7B
    [InlineData(152064, 5120, 27648, 64, 40, 8)]    // 32B
    [InlineData(152064, 8192, 29568, 80, 64, 8)]    // 72B
    public void Every_published_size_is_admitted(int vocab, int hidden, int intermediate, int layers, int heads, int kvHeads)
    {
        var c = Qwen25VLConfigJson.Parse(ConfigTests.Real3B);
        (c.VocabSize, c.HiddenSize, c.IntermediateSize, c.NumHiddenLayers, c.NumAttentionHeads, c.NumKeyValueHeads) =
            (vocab, hidden, intermediate, layers, heads, kvHeads);
        c.TieWordEmbeddings = false;
        c.VisionConfig.OutHiddenSize = hidden;
        Assert.Empty(Qwen25VLConfigValidator.Check(c));
    }

    [Theory]
    [InlineData("num_hidden_layers", 1_000_000, "num_hidden_layers must be in [1, 1024] (got 1000000)")]
    [InlineData("num_hidden_layers", 0, "num_hidden_layers must be in [1, 1024] (got 0)")]
    [InlineData("vocab_size", 2_000_000_000, "vocab_size must be in [1, 1048576]")]
    [InlineData("hidden_size", -5, "hidden_size must be in [1, 65536] (got -5)")]
    [InlineData("max_position_embeddings", int.MaxValue, "max_position_embeddings must be in [1, 16777216]")]
    public void Sizes_out_of_range_are_named(string field, int value, string expected)
    {
        var root = JsonNode.Parse(ConfigTests.Real3B)!.AsObject();
        root[field] = value;
        var ex = Assert.Throws<CheckpointFormatException>(() => Qwen25VLConfigJson.Parse(root.ToJsonString()).Validate());
        Assert.Contains(expected, ex.Message);
    }

    /// <summary>The expected-weights list is never built for a config out of range (today: 12 million entries first).</summary>
    [Fact]
    public void Expected_weights_refuse_an_out_of_range_config_before_building_the_list()
    {
        var c = Qwen25VLConfigJson.Parse(ConfigTests.Real3B);
        c.NumHiddenLayers = 1_000_000;
        var ex = Assert.Throws<CheckpointFormatException>(() => Qwen25VLWeights.Expected(c));
        Assert.Contains("num_hidden_layers", ex.Message);
    }

    [Fact]
    public void Rules_that_were_export_only_or_checkpoint_only_are_one_rule_set()
    {
        var c = Qwen25VLConfigJson.Parse(ConfigTests.Real3B);
        c.VisionConfig.SpatialMergeSize = 4;                 // was refused only by the export
        c.VisionConfig.FullattBlockIndexes = [7, 7, 15];     // was refused only by the checkpoint validator
        c.ModelType = "qwen2_vl";                            // was refused only by the export
        c.EosTokenId = null;                                 // was refused only by the export
        var errors = string.Join("\n", Qwen25VLConfigValidator.Check(c));
        Assert.Contains("vision_config.spatial_merge_size must be 2 (got 4)", errors);
        Assert.Contains("fullatt_block_indexes has duplicates", errors);
        Assert.Contains("model_type must be \"qwen2_5_vl\"", errors);
        Assert.Contains("eos_token_id is missing", errors);
    }

    [Fact]
    public void Other_architectures_are_refused()
    {
        var c = Qwen25VLConfigJson.Parse(ConfigTests.Real3B);
        c.Architectures = ["LlavaForConditionalGeneration"];
        Assert.Contains(Qwen25VLConfigValidator.Check(c), e => e.StartsWith("architectures must include Qwen2_5_VLForConditionalGeneration"));
    }
}
