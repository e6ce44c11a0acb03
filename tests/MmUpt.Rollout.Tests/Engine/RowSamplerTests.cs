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
    public void A_NaN_logit_is_refused_with_a_message_naming_it()
    {
        // A NaN weight would make the inverse CDF pick an arbitrary token; the draw refuses the row instead.
        var ex = Assert.Throws<InvalidOperationException>(() => RowSampler.Sample([1f, float.NaN, 0f], 1f, 0, 1f, null, 0.5));
        Assert.Contains("NaN", ex.Message);
    }

    /// <summary>
    /// Top-k and top-p draw by partial selection; on random rows with ties they agree with the definition computed by
    /// sorting the whole row (weight descending, id ascending, running sums in that order).
    /// </summary>
    [Theory]
    [InlineData(0, 0.9f, 1f)]
    [InlineData(0, 0.99f, 0.7f)]
    [InlineData(50, 1f, 1f)]
    [InlineData(50, 0.8f, 1.3f)]
    [InlineData(3000, 0.5f, 1f)]
    public void Partial_selection_draws_what_a_full_sort_draws(int topK, float topP, float t)
    {
        var rng = new Random(topK * 31 + (int)(topP * 100));
        for (var row = 0; row < 20; row++)
        {
            // 5,000 logits on a coarse grid (many exact ties), a few banned.
            var logits = Enumerable.Range(0, 5000).Select(_ => MathF.Round((float)(rng.NextDouble() * 12), 1)).ToArray();
            var banned = Enumerable.Range(0, 5000).Select(i => i % 97 == 0).ToArray();
            for (var d = 0; d < 25; d++)
            {
                var u = rng.NextDouble();
                Assert.Equal(BySorting(logits, t, topK, topP, banned, u), RowSampler.Sample(logits, t, topK, topP, banned, u));
            }
        }
    }

    /// <summary>
    /// The same at the real vocabulary's size, where the row is binned by weight before any selection: a peaked row (a
    /// few likely tokens over a long tail, as a trained model gives), a flat one with ties (an untrained model's: the
    /// nucleus is most of the row), and one spanning ~250 octaves of weight, most of it under the bins' lowest octave (all
    /// in one bin), with a top-k that reaches into it. u up to the largest value <see cref="Random.NextDouble"/> returns.
    /// </summary>
    [Theory]
    [InlineData("peaked", 0, 0.99f)]
    [InlineData("peaked", 50, 0.9f)]
    [InlineData("flat", 0, 0.99f)]
    [InlineData("flat", 0, 0.9f)]
    [InlineData("wide", 0, 0.99f)]
    [InlineData("wide", 50_000, 1f)]
    public void Binned_selection_at_the_real_vocabulary_draws_what_a_full_sort_draws(string shape, int topK, float topP)
    {
        const int vocab = 151_936;
        var rng = new Random(shape.Length * 7 + topK);
        var logits = new float[vocab];
        for (var i = 0; i < vocab; i++)
        {
            logits[i] = shape switch
            {
                "peaked" => (float)(rng.NextDouble() * 4 - 8),
                "flat" => MathF.Round((float)rng.NextDouble(), 3),
                _ => (float)(rng.NextDouble() * -120),
            };
        }
        if (shape == "peaked")
        {
            for (var j = 0; j < 20; j++) logits[rng.Next(vocab)] = (float)(rng.NextDouble() * 6);
        }
        var banned = Enumerable.Range(0, vocab).Select(i => i % 1009 == 0).ToArray();
        // The largest u only where the kept set's least likely weights are far above the rounding of a sum of the mass
        // (~1e−16 of it): the wide row's top 50,000 reach down to ~1e−25 of it, where the order of summation decides.
        var us = shape == "wide" && topK > 0 ? new[] { 0.0, 0.3, 0.77, 0.999 } : new[] { 0.0, 0.3, 0.77, 0.999, 1 - Math.ScaleB(1.0, -53) };
        foreach (var u in us)
        {
            Assert.Equal(BySorting(logits, 0.7f, topK, topP, banned, u), RowSampler.Sample(logits, 0.7f, topK, topP, banned, u));
        }
    }

    private static int BySorting(float[] logits, float t, int topK, float topP, bool[] banned, double u)
    {
        var max = logits.Where((_, i) => !banned[i]).Max();
        var order = Enumerable.Range(0, logits.Length).Where(i => !banned[i])
            .Select(i => (Id: i, W: Math.Exp((logits[i] - max) / (double)t))).Where(x => x.W > 0)
            .OrderByDescending(x => x.W).ThenBy(x => x.Id).ToList();
        if (topK > 0) order = order.Take(topK).ToList();
        var total = order.Sum(x => x.W);
        if (topP < 1f)
        {
            var (mass, count) = (0.0, 0);
            while (mass < topP * total) mass += order[count++].W;   // the shortest prefix reaching p of the mass
            order = order.Take(count).ToList();
            total = order.Sum(x => x.W);
        }
        var target = u * total;
        foreach (var x in order)
        {
            target -= x.W;
            if (target < 0) return x.Id;
        }
        return order[^1].Id;
    }

    [Theory]
    [InlineData(0, 1f, 1f, false)]
    [InlineData(0, 0.9f, 0.7f, false)]
    [InlineData(50, 1f, 1.3f, false)]
    [InlineData(1, 1f, 1f, false)]
    [InlineData(0, 1f, 1f, true)]
    public void The_draw_with_its_log_prob_is_the_draw_and_the_tempered_log_prob_to_the_bit(int topK, float topP, float t, bool withBans)
    {
        var rng = new Random(topK + (int)(t * 10));
        for (var row = 0; row < 10; row++)
        {
            var logits = Enumerable.Range(0, 3001).Select(_ => (float)(rng.NextDouble() * 16 - 8)).ToArray();
            logits[7] = float.NegativeInfinity;
            bool[]? banned = withBans ? Enumerable.Range(0, 3001).Select(i => i % 89 == 0).ToArray() : null;
            var u = rng.NextDouble();
            var token = RowSampler.Sample(logits, t, topK, topP, banned, u, out var logProb);
            Assert.Equal(RowSampler.Sample(logits, t, topK, topP, banned, u), token);
            Assert.Equal(LogProbs.Tempered(logits, token, t), logProb);
        }
    }

    [Fact]
    public void Row_rngs_differ_per_row_and_repeat_per_seed()
    {
        Assert.Equal(RowSampler.RowRandom(7, 0).NextDouble(), RowSampler.RowRandom(7, 0).NextDouble());
        Assert.NotEqual(RowSampler.RowRandom(7, 0).NextDouble(), RowSampler.RowRandom(7, 1).NextDouble());
        Assert.NotEqual(RowSampler.RowRandom(7, 0).NextDouble(), RowSampler.RowRandom(8, 0).NextDouble());
    }
}

/// <summary>The behaviour log-probability against log-softmax computed term by term.</summary>
public sealed class LogProbsTests
{
    [Theory]
    [InlineData(1.0)]
    [InlineData(0.2)]
    [InlineData(1.7)]
    public void Tempered_is_log_softmax_of_the_row_divided_by_T(double t)
    {
        var rng = new Random(11);
        // A real-vocabulary row: wide logits, a few never-sampled columns at −inf, lengths that are no multiple of a chunk.
        var logits = Enumerable.Range(0, 151_937).Select(_ => (float)(rng.NextDouble() * 40 - 20)).ToArray();
        foreach (var i in new[] { 3, 151_655, 151_656 }) logits[i] = float.NegativeInfinity;
        var max = logits.Max();
        var logSum = Math.Log(logits.Sum(l => Math.Exp((l - max) / t)));
        foreach (var token in new[] { 0, 17, 151_936, Array.IndexOf(logits, max) })
        {
            Assert.Equal((logits[token] - max) / t - logSum, LogProbs.Tempered(logits, token, t), 4);
        }
        Assert.Equal(float.NegativeInfinity, LogProbs.Tempered(logits, 3, t));
    }
}
