using MmUpt.Checkpoint.Safetensors;
using MmUpt.Presets;
using MmUpt.Testing;

namespace MmUpt.Checkpoint.Tests;

public class WeightNamesTests
{
    [Theory]
    [InlineData("model.language_model.layers.0.self_attn.q_proj.weight", "model.layers.0.self_attn.q_proj.weight")]
    [InlineData("model.visual.blocks.3.attn.qkv.bias", "visual.blocks.3.attn.qkv.bias")]
    [InlineData("model.embed_tokens.weight", "model.embed_tokens.weight")]
    [InlineData("visual.merger.mlp.0.weight", "visual.merger.mlp.0.weight")]
    [InlineData("lm_head.weight", "lm_head.weight")]
    public void NamesNormaliseToTheFlatLayout(string stored, string canonical)
    {
        Assert.Equal(canonical, WeightNames.ToCanonical(stored));
        var layout = WeightNames.Detect([stored]);
        Assert.Equal(stored, WeightNames.FromCanonical(canonical, layout));
    }

    [Fact]
    public void MixedLayoutsAreRejected() =>
        Assert.Throws<CheckpointFormatException>(() => WeightNames.Detect(["model.visual.x", "visual.y"]));

    [Fact]
    public void BothLayoutsRoundTripTheSameTensors()
    {
        var config = CheckpointPreset.Tiny.Build(300);
        var tensors = RandomInit.Tensors(config, seed: 5);
        using var flat = new TempDir();
        using var nested = new TempDir();
        SafetensorsCheckpoint.Save(flat.Path, tensors);
        SafetensorsCheckpoint.Save(nested.Path, tensors.Select(t => t with { Name = WeightNames.FromCanonical(t.Name, WeightNameLayout.Nested) }).ToList(), 200_000);
        using var a = SafetensorsCheckpoint.Open(flat.Path);
        using var b = SafetensorsCheckpoint.Open(nested.Path);
        Assert.Equal(WeightNameLayout.Flat, WeightNames.Detect(a.Names));
        Assert.Equal(WeightNameLayout.Nested, WeightNames.Detect(b.Names));
        Assert.Contains("model.language_model.layers.1.mlp.up_proj.weight", b.Names);
        Assert.Contains("model.visual.patch_embed.proj.weight", b.Names);
        var mapA = WeightNames.CanonicalMap(a.Names);
        var mapB = WeightNames.CanonicalMap(b.Names);
        Assert.Equal(Qwen25VLWeights.Expected(config).Select(s => s.Name).Order(), mapB.Keys.Order());
        foreach (var (canonical, stored) in mapB) Assert.Equal(a.ReadBytes(mapA[canonical]), b.ReadBytes(stored));
    }
}
