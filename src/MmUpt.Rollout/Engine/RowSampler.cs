namespace MmUpt.Rollout.Engine;

/// <summary>
/// Draws one token from a row of raw logits, exactly as <c>mmupt.v1.SamplingParams</c> defines it, in this order:
/// banned ids get probability 0; logits are divided by the temperature; top-k keeps the k most likely tokens; top-p
/// keeps the smallest most-likely-first prefix of those whose share of their mass reaches p; the kept probabilities
/// are renormalised and one uniform draw u ∈ [0, 1) picks by inverse CDF. Ties in likelihood go to the lower id, so
/// top_k = 1 is argmax with the lowest id winning. Everything is accumulated in double. Top-k and top-p select by
/// partitioning (<see cref="Candidate"/>), never by sorting the vocabulary.
/// <para>
/// The worker samples here rather than in ORT GenAI (whose generator has one RNG and one set of search options per
/// batch): each row has its own seeded RNG and its group's settings, so a group samples the same tokens whether it runs
/// alone or packed with other groups, and banned ids and stop ids are per request.
/// </para>
/// </summary>
public static class RowSampler
{
    // Per-thread scratch (a generator's rows are drawn on its thread): the weights of one row, and its candidates.
    [ThreadStatic] private static double[]? t_weights;
    [ThreadStatic] private static Candidate[]? t_candidates;

    public static int Sample(ReadOnlySpan<float> logits, float temperature, int topK, float topP, bool[]? banned, double u)
    {
        var max = double.NegativeInfinity;
        var argmax = -1;
        for (var i = 0; i < logits.Length; i++)
        {
            if ((banned is null || !banned[i]) && logits[i] > max)
            {
                max = logits[i];
                argmax = i;
            }
        }
        if (argmax < 0)
        {
            throw new InvalidOperationException("every token is banned or has logit −inf");
        }
        if (topK == 1)
        {
            return argmax;
        }
        var inverseT = 1.0 / temperature;
        if ((topK == 0 || topK >= logits.Length) && topP >= 1f)
        {
            // The full distribution: inverse CDF in id order, no sort needed; each weight is computed once.
            var weights = Scratch(ref t_weights, logits.Length);
            var sum = 0.0;
            for (var i = 0; i < logits.Length; i++)
            {
                weights[i] = Weight(logits, banned, i, max, inverseT);
                sum += weights[i];
            }
            var target = u * sum;
            var last = argmax;
            for (var i = 0; i < logits.Length; i++)
            {
                var w = weights[i];
                if (w <= 0)
                {
                    continue;
                }
                last = i;
                target -= w;
                if (target < 0)
                {
                    return i;
                }
            }
            return last;
        }
        return SampleTruncated(logits, topK, topP, banned, u, max, inverseT);
    }

    /// <summary>
    /// Top-k and top-p by partial selection (expected O(V) per row, no sort): the k most likely go to the front, then the
    /// smallest most-likely-first prefix reaching p·mass, then the token whose most-likely-first cumulative mass first
    /// exceeds u·mass. Masses are summed per partition, so a boundary can differ from a sorted running sum only by rounding.
    /// </summary>
    private static int SampleTruncated(ReadOnlySpan<float> logits, int topK, float topP, bool[]? banned, double u, double max, double inverseT)
    {
        var all = Scratch(ref t_candidates, logits.Length);
        var count = 0;
        for (var i = 0; i < logits.Length; i++)
        {
            var w = Weight(logits, banned, i, max, inverseT);
            if (w > 0)
            {
                all[count++] = new Candidate(w, i);
            }
        }
        var kept = all.AsSpan(0, count);
        if (topK > 0 && topK < count)
        {
            Candidate.SelectFirst(kept, topK);
            kept = kept[..topK];
        }
        var total = Candidate.Mass(kept);
        if (topP < 1f)
        {
            kept = kept[..Candidate.PrefixReaching(kept, topP * total, inclusive: true)];
            total = Candidate.Mass(kept);
        }
        var n = Candidate.PrefixReaching(kept, u * total, inclusive: false);
        return kept[n - 1].Id;
    }

    private static T[] Scratch<T>(ref T[]? buffer, int length) =>
        buffer is { } b && b.Length >= length ? b : buffer = new T[length];

    private static double Weight(ReadOnlySpan<float> logits, bool[]? banned, int i, double max, double inverseT) =>
        banned is not null && banned[i] ? 0 : Math.Exp((logits[i] - max) * inverseT);

    /// <summary>
    /// The RNG of row <paramref name="row"/> of a group seeded with <paramref name="seed"/>: the seed and row are mixed
    /// with SplitMix64's finaliser (Steele, Lea, Flood 2014) into a seed for <see cref="Random"/>, whose seeded sequence is
    /// fixed across .NET versions.
    /// </summary>
    public static Random RowRandom(ulong seed, int row)
    {
        var z = seed + 0x9E3779B97F4A7C15UL * (ulong)(row + 1);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return new Random((int)(z & int.MaxValue));
    }
}
