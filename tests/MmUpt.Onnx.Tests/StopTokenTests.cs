using System.Text.Json.Nodes;
using MmUpt.Checkpoint;
using MmUpt.Onnx.Qwen25VL;
using MmUpt.Onnx.Tests.Fixtures;

namespace MmUpt.Onnx.Tests;

/// <summary>
/// The export stops where transformers' generate stops: generation_config.json's <c>eos_token_id</c> (an int or a
/// list), plus config.json's. Qwen2.5-VL ships generation_config [151645, 151643] and config 151645.
/// </summary>
[Collection(ExportedTinyCollection.Name)]
public sealed class StopTokenTests(ExportedTiny tiny)
{
    private static int[] GenAiEos(string folder) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(folder, GenAiConfig.FileName)))!["model"]!["eos_token_id"]!.AsArray()
            .Select(e => e!.GetValue<int>()).ToArray();

    [Fact]
    public void The_export_takes_every_stop_token_of_generation_config()
    {
        // init writes config eos <|im_end|> (2) and generation_config [<|im_end|>, <|endoftext|>] = [2, 0].
        Assert.Equal(2, tiny.Config.EosTokenIds().Single());
        Assert.Equal([2, 0], GenAiEos(tiny.Folder));
    }

    [Theory]
    [InlineData("7", new[] { 7, 2 })]
    [InlineData("[0, 2]", new[] { 0, 2 })]
    [InlineData("null", new[] { 2 })]
    public void An_int_or_a_list_comes_first_and_config_jsons_follow(string eos, int[] expected)
    {
        var folder = WithGenerationEos("eos-" + expected.Length + eos.Length, eos);
        Assert.Equal(expected, GenerationConfig.StopTokenIds(folder, tiny.Config));
    }

    [Fact]
    public void A_stop_token_outside_the_vocabulary_is_refused_by_name()
    {
        var folder = WithGenerationEos("eos-bad", "[2, 999999]");
        var ex = Assert.Throws<CheckpointFormatException>(() => GenerationConfig.StopTokenIds(folder, tiny.Config));
        Assert.Contains("generation_config.json: eos_token_id 999999", ex.Message);
    }

    private string WithGenerationEos(string name, string eos)
    {
        var folder = tiny.NewFolder(name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "generation_config.json"), $"{{\"eos_token_id\": {eos}}}");
        return folder;
    }
}
