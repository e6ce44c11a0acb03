using System.Text.Json.Nodes;
using MmUpt.Testing;

namespace MmUpt.Checkpoint.Tests;

/// <summary>config.json files that are not what they claim: one message naming the file and the field, never a crash.</summary>
public class ConfigFileTests
{
    [Theory]
    [InlineData("[1, 2]", "the top level must be a JSON object, got array")]
    [InlineData("\"qwen\"", "the top level must be a JSON object, got string")]
    [InlineData("null", "the top level must be a JSON object, got null")]
    [InlineData("{\"hidden_size\": ", "is not valid JSON")]
    public void Non_object_or_broken_json_names_the_file(string json, string expected)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("config.json"), json);
        var ex = Assert.Throws<CheckpointFormatException>(() => Qwen25VLConfigJson.Load(dir.Path));
        Assert.Contains(dir.File("config.json"), ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Theory]
    [InlineData("hidden_size", "\"2048\"")]
    [InlineData("num_hidden_layers", "36.5")]
    [InlineData("tie_word_embeddings", "\"yes\"")]
    [InlineData("vision_config", "\"none\"")]
    [InlineData("rope_scaling", "[16, 24, 24]")]
    [InlineData("architectures", "{}")]
    [InlineData("eos_token_id", "[151645, \"x\"]")]
    [InlineData("text_config", "[]")]
    public void Wrong_type_of_a_field_names_the_field(string field, string json)
    {
        var root = JsonNode.Parse(ConfigTests.Real3B)!.AsObject();
        root[field] = JsonNode.Parse(json);
        var ex = Assert.Throws<CheckpointFormatException>(() => Qwen25VLConfigJson.Parse(root.ToJsonString(), "hf/config.json"));
        Assert.StartsWith($"hf/config.json field {field}", ex.Message);
    }

    [Fact]
    public void Nested_wrong_type_names_the_nested_field()
    {
        var root = JsonNode.Parse(ConfigTests.Real3B)!.AsObject();
        root["vision_config"]!["in_channels"] = "three";
        var ex = Assert.Throws<CheckpointFormatException>(() => Qwen25VLConfigJson.Parse(root.ToJsonString()));
        Assert.Contains("field vision_config.in_channels", ex.Message);
        root["vision_config"]!["in_channels"] = 3;
        root["vision_config"]!["depth"] = "32";
        ex = Assert.Throws<CheckpointFormatException>(() => Qwen25VLConfigJson.Parse(root.ToJsonString()));
        Assert.Contains("field vision_config.depth", ex.Message);
    }

    [Fact]
    public void A_huge_file_is_refused_without_reading_it_all()
    {
        using var dir = new TempDir();
        using (var f = File.Create(dir.File("config.json")))
        {
            f.SetLength(Qwen25VLConfigJson.MaxBytes + 1L);
        }
        var ex = Assert.Throws<CheckpointFormatException>(() => Qwen25VLConfigJson.Load(dir.Path));
        Assert.Contains("larger than", ex.Message);
    }

    [Fact]
    public void Invalid_utf8_is_refused_naming_the_file()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("config.json"), [(byte)'{', 0xff, 0xfe, (byte)'}']);
        var ex = Assert.Throws<CheckpointFormatException>(() => Qwen25VLConfigJson.Load(dir.Path));
        Assert.Contains("cannot be read as UTF-8", ex.Message);
    }

    /// <summary>transformers omits fields equal to their defaults when saving; they read as transformers reads them.</summary>
    [Fact]
    public void Omitted_vision_fields_take_the_transformers_defaults()
    {
        var root = JsonNode.Parse(ConfigTests.Real3B)!.AsObject();
        var vision = root["vision_config"]!.AsObject();
        foreach (var key in new[] { "depth", "intermediate_size", "num_heads", "fullatt_block_indexes" }) vision.Remove(key);
        var c = Qwen25VLConfigJson.Parse(root.ToJsonString());
        c.Validate();
        Assert.Equal(32, c.VisionConfig.Depth);
        Assert.Equal(3420, c.VisionConfig.IntermediateSize);
        Assert.Equal(16, c.VisionConfig.NumHeads);
        Assert.Equal([7, 15, 23, 31], c.VisionConfig.FullattBlockIndexes);
    }
}
