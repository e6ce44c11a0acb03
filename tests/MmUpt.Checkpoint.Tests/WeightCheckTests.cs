using MmUpt.Checkpoint.Safetensors;
using MmUpt.Presets;
using MmUpt.Testing;

namespace MmUpt.Checkpoint.Tests;

/// <summary>The one tensor check the loader and the exporter share, on real safetensors files.</summary>
public class WeightCheckTests
{
    private static readonly Qwen25VLConfig Config = CheckpointPreset.Tiny.Build(300);

    [Fact]
    public void A_complete_checkpoint_maps_every_expected_tensor_in_either_layout()
    {
        var tensors = RandomInit.Tensors(Config, seed: 3);
        using var dir = new TempDir();
        SafetensorsCheckpoint.Save(dir.Path, tensors.Select(t => t with { Name = WeightNames.FromCanonical(t.Name, WeightNameLayout.Nested) }).ToList());
        using var ck = SafetensorsCheckpoint.Open(dir.Path);
        var map = Qwen25VLWeightCheck.Run(Config, ck, dir.Path);
        Assert.Equal(Qwen25VLWeights.Expected(Config).Select(s => s.Name).Order(), map.Keys.Order());
        Assert.Equal("model.language_model.norm.weight", map["model.norm.weight"]);
    }

    [Fact]
    public void Missing_unexpected_wrong_shape_and_wrong_dtype_are_reported_together()
    {
        var tensors = RandomInit.Tensors(Config, seed: 3).Where(t => t.Name != "model.norm.weight").ToList();
        tensors.Add(SafetensorsTensor.FromFloats("visual.extra.weight", [2], [1f, 2f]));
        var i = tensors.FindIndex(t => t.Name == "visual.merger.ln_q.weight");
        tensors[i] = SafetensorsTensor.FromFloats("visual.merger.ln_q.weight", [3], [1f, 1f, 1f]);
        var j = tensors.FindIndex(t => t.Name == "model.layers.0.self_attn.q_proj.bias");
        var n = tensors[j].Shape[0];
        tensors[j] = new SafetensorsTensor(tensors[j].Name, SafetensorsDType.I64, [n], s => s.Write(new byte[n * 8]));
        using var dir = new TempDir();
        SafetensorsCheckpoint.Save(dir.Path, tensors);
        using var ck = SafetensorsCheckpoint.Open(dir.Path);
        var ex = Assert.Throws<CheckpointFormatException>(() => Qwen25VLWeightCheck.Run(Config, ck, dir.Path));
        Assert.StartsWith($"{dir.Path}: weights do not fit config.json", ex.Message);
        Assert.Contains($"missing (1): model.norm.weight [{Config.HiddenSize}]", ex.Message);
        Assert.Contains("unexpected (1): visual.extra.weight", ex.Message);
        Assert.Contains($"visual.merger.ln_q.weight: config.json implies [{Config.VisionConfig.HiddenSize}], checkpoint has [3]", ex.Message);
        Assert.Contains("model.layers.0.self_attn.q_proj.bias: dtype I64", ex.Message);
    }

    [Fact]
    public void A_tied_checkpoint_may_carry_a_copy_of_the_head_and_an_untied_one_must()
    {
        var tied = Config.Clone();
        tied.TieWordEmbeddings = true;
        var tensors = RandomInit.Tensors(tied, seed: 3).ToList();
        var embed = tensors.Single(t => t.Name == "model.embed_tokens.weight");
        using var dir = new TempDir();
        SafetensorsCheckpoint.Save(dir.Path, [.. tensors, embed with { Name = "lm_head.weight" }]);
        using (var ck = SafetensorsCheckpoint.Open(dir.Path))
        {
            Assert.DoesNotContain("lm_head.weight", Qwen25VLWeightCheck.Run(tied, ck, dir.Path).Keys);
        }
        var untied = Config.Clone();
        untied.TieWordEmbeddings = false;
        using var dir2 = new TempDir();
        SafetensorsCheckpoint.Save(dir2.Path, tensors);
        using var ck2 = SafetensorsCheckpoint.Open(dir2.Path);
        var ex = Assert.Throws<CheckpointFormatException>(() => Qwen25VLWeightCheck.Run(untied, ck2, dir2.Path));
        Assert.Contains("missing (1): lm_head.weight", ex.Message);
    }

    [Fact]
    public void The_same_tensor_under_both_layouts_is_refused()
    {
        var tensors = RandomInit.Tensors(Config, seed: 3).ToList();
        var norm = tensors.Single(t => t.Name == "model.norm.weight");
        using var dir = new TempDir();
        SafetensorsCheckpoint.Save(dir.Path, [.. tensors, norm with { Name = "model.language_model.norm.weight" }]);
        using var ck = SafetensorsCheckpoint.Open(dir.Path);
        var ex = Assert.Throws<CheckpointFormatException>(() => Qwen25VLWeightCheck.Run(Config, ck, dir.Path));
        Assert.Contains(dir.Path, ex.Message);
    }
}
