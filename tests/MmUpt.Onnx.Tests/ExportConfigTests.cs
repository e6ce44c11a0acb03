using System.Text.Json.Nodes;
using MmUpt.Onnx.Export;
using MmUpt.Onnx.Tests.Fixtures;

namespace MmUpt.Onnx.Tests;

/// <summary>
/// A broken config.json is refused by the real exporter with one message naming the file and the field, before any
/// output exists and before anything sized by the config is allocated.
/// </summary>
[Collection(ExportedTinyCollection.Name)]
public sealed class ExportConfigTests(ExportedTiny tiny)
{
    [Fact]
    public void Config_that_is_a_json_array_is_refused_naming_the_file()
    {
        var ex = Refused("cfg-array", _ => "[1, 2]");
        Assert.Contains("config.json: the top level must be a JSON object, got array", ex.Message);
    }

    [Theory]
    [InlineData("hidden_size", "\"big\"", "field hidden_size")]
    [InlineData("num_hidden_layers", "1e6", "field num_hidden_layers")]
    [InlineData("vision_config", "[1]", "field vision_config")]
    [InlineData("rope_scaling", "7", "field rope_scaling")]
    [InlineData("eos_token_id", "\"<|im_end|>\"", "field eos_token_id")]
    [InlineData("text_config", "5", "field text_config")]
    public void Wrong_json_type_is_refused_naming_the_field(string field, string json, string expected)
    {
        var ex = Refused($"cfg-type-{field}", text =>
        {
            var root = JsonNode.Parse(text)!.AsObject();
            root[field] = JsonNode.Parse(json);
            return root.ToJsonString();
        });
        Assert.Contains("config.json", ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    /// <summary>Today's export built a 12-million-entry weight map first (7.5 GB) and then failed on the tensors.</summary>
    [Theory]
    [InlineData("num_hidden_layers", 1_000_000)]
    [InlineData("vocab_size", 2_000_000_000)]
    [InlineData("intermediate_size", 100_000_000)]
    public void Absurd_sizes_are_refused_by_range_before_anything_is_built(string field, int value)
    {
        var ex = Refused($"cfg-range-{field}", text =>
        {
            var root = JsonNode.Parse(text)!.AsObject();
            root[field] = value;
            return root.ToJsonString();
        });
        Assert.Contains($"{field} must be in [1, ", ex.Message);
        Assert.Contains($"(got {value})", ex.Message);
    }

    [Fact]
    public void Spatial_merge_size_other_than_two_is_refused_by_the_shared_validator()
    {
        var ex = Refused("cfg-merge", text =>
        {
            var root = JsonNode.Parse(text)!.AsObject();
            root["vision_config"]!["spatial_merge_size"] = 4;
            return root.ToJsonString();
        });
        Assert.Contains("vision_config.spatial_merge_size must be 2 (got 4)", ex.Message);
    }

    private CheckpointRejectedException Refused(string name, Func<string, string> change)
    {
        var folder = CheckpointCopy.Make(tiny, name);
        var path = Path.Combine(folder, "config.json");
        File.WriteAllText(path, change(File.ReadAllText(path)));
        var output = tiny.NewFolder(name + "-out");
        var ex = Assert.Throws<CheckpointRejectedException>(() => Qwen25VLExporter.Export(folder, output));
        Assert.False(Directory.Exists(output));
        return ex;
    }
}
