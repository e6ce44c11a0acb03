using MmUpt.Processing.Layout;
using static TorchSharp.torch;

namespace MmUpt.Model.Tests;

/// <summary>Invariances the reference definition implies, checked on the real model.</summary>
public class ConsistencyTests
{
    [Fact]
    public void ImagesEncodedTogetherEqualImagesEncodedAlone()
    {
        // Windows and full-attention segments never cross images, so batching images must not change any feature.
        var c = TinyModels.Config();
        using var m = Qwen25VLModel.CreateRandom(c, 5, ModelOptions.CpuFloat32);
        GridThw a = new(1, 10, 14), b = new(1, 6, 4);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var pixels = randn([a.Patches + b.Patches, c.VisionConfig.PatchDim], generator: new Generator(9));
        var both = m.Visual.forward(pixels, new VisionLayout([a, b], c.VisionConfig));
        var first = m.Visual.forward(pixels[..a.Patches], new VisionLayout([a], c.VisionConfig));
        var second = m.Visual.forward(pixels[a.Patches..], new VisionLayout([b], c.VisionConfig));
        Assert.True(cat([first, second], 0).allclose(both, rtol: 1e-5, atol: 1e-6));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WindowedBlocksOnlyMixTokensOfTheSameWindow(bool withFullAttention)
    {
        // Grid 6x10 patches = 3x5 merged tokens, 2x2-token windows: {0,1,5,6} {2,3,7,8} {4,9} {10,11} {12,13} {14}
        // (hand-worked in VisionLayoutTests). Changing merged token 0's patches (rows 0..3) may only move tokens 0,1,5,6
        // when every block is windowed; a full-attention block spreads the change to all tokens.
        var c = TinyModels.Config();
        if (!withFullAttention) c.VisionConfig.FullattBlockIndexes = [];
        using var m = Qwen25VLModel.CreateRandom(c, 12, ModelOptions.CpuFloat32);
        var grid = new GridThw(1, 6, 10);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var pixels = randn([grid.Patches, c.VisionConfig.PatchDim], generator: new Generator(3));
        var changed = pixels.clone();
        changed[..4] += 1.0f;
        var layout = new VisionLayout([grid], c.VisionConfig);
        var moved = (m.Visual.forward(changed, layout) - m.Visual.forward(pixels, layout)).abs().amax(1); // [15]
        var movedTokens = Enumerable.Range(0, 15).Where(i => moved[i].item<float>() > 0).ToArray();
        Assert.Equal(withFullAttention ? Enumerable.Range(0, 15).ToArray() : [0, 1, 5, 6], movedTokens);
    }

    [Fact]
    public void LeftPaddingDoesNotChangeTheRealTokensLogits()
    {
        var c = TinyModels.Config();
        using var m = Qwen25VLModel.CreateRandom(c, 6, ModelOptions.CpuFloat32);
        var single = TinyModels.Batch(c, [new GridThw(1, 6, 10)], seed: 4);
        var l = single.InputIds.shape[1];
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = cat([zeros(1, 3, dtype: ScalarType.Int64), single.InputIds], 1);
        var mask = cat([zeros(1, 3, dtype: ScalarType.Int64), ones(1, l, dtype: ScalarType.Int64)], 1);
        var padded = m.forward(single with { InputIds = ids, AttentionMask = mask });
        var plain = m.forward(single);
        Assert.True(padded[.., 3..].allclose(plain, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void Bf16ModelRunsAndStaysCloseToFp32()
    {
        var c = TinyModels.Config();
        using var f32 = Qwen25VLModel.CreateRandom(c, 2, ModelOptions.CpuFloat32);
        using var b16 = Qwen25VLModel.CreateRandom(c, 2, ModelOptions.CpuBFloat16);
        var batch = TinyModels.Batch(c, [new GridThw(1, 10, 10)], seed: 8);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var lp32 = f32.NextTokenLogProbs(batch);
        var lp16 = b16.NextTokenLogProbs(batch);
        Assert.Equal(ScalarType.Float32, lp16.dtype);
        Assert.True((lp32 - lp16).abs().max().item<float>() < 0.1f);
    }
}
