using MmUpt.Checkpoint;
using MmUpt.Processing.Layout;
using static TorchSharp.torch;

namespace MmUpt.Model.Tests;

public class ModelStructureTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ParameterNamesAndShapesAreTheCheckpointNames(bool tied)
    {
        var c = TinyModels.Config(tied);
        using var m = new Qwen25VLForConditionalGeneration(c, ModelOptions.CpuFloat32);
        var actual = m.named_parameters().Select(p => (p.name, string.Join(",", p.parameter.shape))).ToList();
        var expected = Qwen25VLWeights.Expected(c).Select(s => (s.Name, string.Join(",", s.Shape))).ToList();
        Assert.Equal(expected.OrderBy(x => x.Item1), actual.OrderBy(x => x.Item1));
        Assert.Equal(tied, actual.All(x => x.Item1 != "lm_head.weight"));
    }

    [Fact]
    public void TiedHeadSharesTheEmbeddingTensor()
    {
        using var m = new Qwen25VLForConditionalGeneration(TinyModels.Config(tied: true), ModelOptions.CpuFloat32);
        var embed = m.named_parameters().Single(p => p.name == "model.embed_tokens.weight").parameter;
        using (no_grad()) embed[5, 3] = tensor(42f);
        Assert.Equal(42f, m.LmHeadWeight[5, 3].item<float>());
    }

    [Fact]
    public void ForwardShapesWithTwoNonSquareImages()
    {
        var c = TinyModels.Config();
        using var m = Qwen25VLModel.CreateRandom(c, 1, ModelOptions.CpuFloat32);
        GridThw[] grids = [new(1, 10, 14), new(1, 6, 4)];
        var batch = TinyModels.Batch(c, grids, seed: 3);
        using var scope = NewDisposeScope();
        var logits = m.forward(batch);
        var l = batch.InputIds.shape[1];
        Assert.Equal(new long[] { 1, l, c.VocabSize }, logits.shape);
        Assert.False(logits.isnan().any().item<bool>());
        var lp = m.NextTokenLogProbs(batch, temperature: 0.7, chunkTokens: 7);
        Assert.Equal(new long[] { 1, l - 1 }, lp.shape);
        var reference = TokenLogProbs.FromLogits(logits[.., ..^1], batch.InputIds[.., 1..], 0.7);
        var expected = (logits[.., ..^1] / 0.7).log_softmax(-1).gather(-1, batch.InputIds[.., 1..].unsqueeze(-1)).squeeze(-1);
        Assert.True(lp.allclose(expected, rtol: 1e-5, atol: 1e-5));
        Assert.True(reference.allclose(expected, rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void SameSeedSameWeightsOtherSeedOtherWeights()
    {
        var c = TinyModels.Config();
        using var a = Qwen25VLModel.CreateRandom(c, 7, ModelOptions.CpuFloat32);
        using var b = Qwen25VLModel.CreateRandom(c, 7, ModelOptions.CpuFloat32);
        using var d = Qwen25VLModel.CreateRandom(c, 8, ModelOptions.CpuFloat32);
        var pa = a.named_parameters().ToList();
        var pb = b.named_parameters().ToList();
        var pd = d.named_parameters().ToList();
        for (var i = 0; i < pa.Count; i++) Assert.True(pa[i].parameter.equal(pb[i].parameter).all().item<bool>(), pa[i].name);
        Assert.False(pa.Single(p => p.name == "visual.blocks.0.attn.qkv.weight").parameter
            .equal(pd.Single(p => p.name == "visual.blocks.0.attn.qkv.weight").parameter).all().item<bool>());
        var batch = TinyModels.Batch(c, [new(1, 10, 10)], seed: 1);
        using var scope = NewDisposeScope();
        Assert.True(a.forward(batch).equal(b.forward(batch)).all().item<bool>());
    }
}
