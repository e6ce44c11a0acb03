using MmUpt.Model;
using static TorchSharp.torch;

namespace MmUpt.Learner.Tests;

/// <summary>The chunked custom function against plain autograd through a full masked log_softmax.</summary>
public class VocabChunkedLogProbsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(64)]
    public void ValuesAndGradientsEqualFullLogSoftmaxWithTheMask(int chunk)
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(7);
        const int n = 7, h = 5, v = 11;
        var hidden = randn([n, h], dtype: ScalarType.Float64, generator: gen).requires_grad_(true);
        var weight = randn([v, h], dtype: ScalarType.Float64, generator: gen).requires_grad_(true);
        var targets = tensor(new long[] { 0, 3, 10, 4, 4, 9, 1 });
        int[] banned = [2, 5, 6];
        var upstream = randn([n], dtype: ScalarType.Float64, generator: gen);

        var chunked = TokenLogProbs.FromFlatHidden(hidden, weight, targets, 0.7, chunk, banned);
        (chunked * upstream).sum().backward();
        var (gh, gw) = (hidden.grad!.clone(), weight.grad!.clone());
        hidden.grad!.zero_();
        weight.grad!.zero_();

        var z = nn.functional.linear(hidden, weight) / 0.7;
        var mask = zeros(v, dtype: ScalarType.Bool).index_fill_(0, tensor(new long[] { 2, 5, 6 }), true);
        var reference = z.masked_fill(mask, double.NegativeInfinity).log_softmax(1).gather(1, targets.unsqueeze(1)).squeeze(1);
        (reference * upstream).sum().backward();

        Assert.True(chunked.allclose(reference, rtol: 0, atol: 1e-12), "values");
        Assert.True(gh.allclose(hidden.grad!, rtol: 0, atol: 1e-12), "d hidden");
        Assert.True(gw.allclose(weight.grad!, rtol: 0, atol: 1e-12), "d weight");
        Assert.Equal(0.0, gw.index_select(0, tensor(new long[] { 2, 5, 6 })).abs().sum().item<double>());
    }
}
