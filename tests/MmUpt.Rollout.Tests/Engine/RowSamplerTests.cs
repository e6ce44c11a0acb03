using MmUpt.Rollout.Engine;

namespace MmUpt.Rollout.Tests.Engine;

/// <summary>The token draw against distributions computed by hand.</summary>
public sealed class RowSamplerTests
{
    // Probabilities at T = 1: exp([2, 1, 0, 3]) / Σ ≈ [0.237, 0.087, 0.032, 0.644].
    private static readonly float[] Logits = [2f, 1f, 0f, 3f];

    private static int Draw(double u, int topK = 0, float topP = 1f, bool[]? banned = null, float t = 1f) =>
        RowSampler.Sample(Logits, t, topK, topP, banned, u);

    [Theory]
    [InlineData(0.00, 0)]
    [InlineData(0.23, 0)]
    [InlineData(0.25, 1)]
    [InlineData(0.33, 2)]
    [InlineData(0.99, 3)]
    public void The_full_distribution_is_inverse_CDF_in_id_order(double u, int expected) => Assert.Equal(expected, Draw(u));

    [Fact]
    public void Top_k_1_is_argmax_and_top_k_2_keeps_the_two_most_likely_sorted()
    {
        Assert.Equal(3, Draw(0.999, topK: 1));
        // Kept: 3 (0.731 of the pair), then 0.
        Assert.Equal(3, Draw(0.70, topK: 2));
        Assert.Equal(0, Draw(0.75, topK: 2));
    }

    [Fact]
    public void Top_p_keeps_the_smallest_prefix_reaching_p()
    {
        // 0.644 < 0.8 ≤ 0.644 + 0.237: tokens 3 and 0 are kept, renormalised.
        Assert.Equal(3, Draw(0.72, topP: 0.8f));
        Assert.Equal(0, Draw(0.74, topP: 0.8f));
        Assert.Equal(3, Draw(0.99, topP: 0.5f));
    }

    [Fact]
    public void Banned_ids_are_never_drawn_and_temperature_sharpens()
    {
        var banned = new bool[4];
        banned[3] = true;
        Assert.All(Enumerable.Range(0, 100), i => Assert.NotEqual(3, Draw(i / 100.0, banned: banned)));
        Assert.Equal(0, Draw(0.999, topK: 1, banned: banned));
        // T → small: all mass on the argmax.
        Assert.Equal(3, Draw(0.01, t: 0.01f));
        Assert.Throws<InvalidOperationException>(() => Draw(0.5, banned: [true, true, true, true]));
    }

    [Fact]
    public void Row_rngs_differ_per_row_and_repeat_per_seed()
    {
        Assert.Equal(RowSampler.RowRandom(7, 0).NextDouble(), RowSampler.RowRandom(7, 0).NextDouble());
        Assert.NotEqual(RowSampler.RowRandom(7, 0).NextDouble(), RowSampler.RowRandom(7, 1).NextDouble());
        Assert.NotEqual(RowSampler.RowRandom(7, 0).NextDouble(), RowSampler.RowRandom(8, 0).NextDouble());
    }
}
