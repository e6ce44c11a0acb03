using System.Text.Json.Nodes;
using MmUpt.Checkpoint.Safetensors;
using MmUpt.Checkpoint;
using MmUpt.Onnx.Export;
using MmUpt.Onnx.Tests.Fixtures;

namespace MmUpt.Onnx.Tests;

/// <summary>A checkpoint the export cannot represent is refused with a message naming the problem, before anything is written.</summary>
[Collection(ExportedTinyCollection.Name)]
public sealed class ExportRejectionTests(ExportedTiny tiny)
{
    [Fact]
    public void Unknown_architecture_is_refused()
    {
        var folder = Copy("arch");
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "config.json")))!;
        config["model_type"] = "llava";
        config["architectures"] = new JsonArray("LlavaForConditionalGeneration");
        File.WriteAllText(Path.Combine(folder, "config.json"), config.ToJsonString());
        var ex = Assert.Throws<CheckpointRejectedException>(() => Qwen25VLExporter.Export(folder, tiny.NewFolder("arch-out")));
        Assert.Contains("model_type", ex.Message);
        Assert.False(Directory.Exists(Path.Combine(tiny.Root, "arch-out")));
    }

    [Fact]
    public void Missing_tensor_is_refused_by_name()
    {
        var folder = Rewrite("missing", tensors => tensors.Where(t => t.Name != "model.layers.1.mlp.up_proj.weight").ToList());
        var ex = Assert.Throws<CheckpointRejectedException>(() => Qwen25VLExporter.Export(folder, tiny.NewFolder("missing-out")));
        Assert.Contains("missing (1): model.layers.1.mlp.up_proj.weight", ex.Message);
    }

    [Fact]
    public void Wrong_shape_is_refused_with_both_shapes()
    {
        var folder = Rewrite("shape", tensors => tensors.Select(t => t.Name == "visual.blocks.0.attn.qkv.bias"
            ? SafetensorsTensor.FromFloats(t.Name, [7], new float[7])
            : t).ToList());
        var ex = Assert.Throws<CheckpointRejectedException>(() => Qwen25VLExporter.Export(folder, tiny.NewFolder("shape-out")));
        // qkv packs q, k and v
        Assert.Contains($"visual.blocks.0.attn.qkv.bias: config.json implies [{3 * tiny.Config.VisionConfig.HiddenSize}], checkpoint has [7]", ex.Message);
    }

    [Fact]
    public void Nested_name_layout_exports_the_same_decoder()
    {
        var folder = Rewrite("nested", tensors => tensors.Select(t =>
        {
            var info = t;
            return info with { Name = WeightNames.FromCanonical(t.Name, WeightNameLayout.Nested) };
        }).ToList());
        var export = Qwen25VLExporter.Export(folder, tiny.NewFolder("nested-out"), ExportedTiny.Options);
        Assert.Equal(File.ReadAllBytes(Path.Combine(tiny.Folder, "decoder.onnx")), File.ReadAllBytes(Path.Combine(export.Folder, "decoder.onnx")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(tiny.Folder, "vision.onnx")), File.ReadAllBytes(Path.Combine(export.Folder, "vision.onnx")));
    }

    private string Copy(string name) => CheckpointCopy.Make(tiny, name);

    private string Rewrite(string name, Func<List<SafetensorsTensor>, List<SafetensorsTensor>> change)
    {
        var folder = Copy(name);
        List<SafetensorsTensor> tensors;
        using (var checkpoint = SafetensorsCheckpoint.Open(tiny.Checkpoint))
        {
            tensors = checkpoint.Names.Order(StringComparer.Ordinal)
                .Select(n => SafetensorsTensor.FromFloats(n, checkpoint.Info(n).Shape, checkpoint.ReadFloat32(n))).ToList();
        }
        foreach (var f in Directory.GetFiles(folder, "*.safetensors*"))
        {
            File.Delete(f);
        }
        SafetensorsCheckpoint.Save(folder, change(tensors));
        return folder;
    }
}
