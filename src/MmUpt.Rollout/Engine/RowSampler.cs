using System.Numerics.Tensors;

namespace MmUpt.Rollout.Engine;

/// <summary>
/// Draws one token from a row of raw logits, exactly as <c>mmupt.v1.SamplingParams</c> defines it, in this order:
/// banned ids get probability 0; logits are divided by the temperature; top-k keeps the k most likely tokens; top-p
/// keeps the smallest most-likely-first prefix of those whose share of their mass reaches p; the kept probabilities
/// are renormalised and one uniform draw u ∈ [0, 1) picks by inverse CDF. Ties in likelihood go to the lower id, so
/// top_k = 1 is argmax with the lowest id winning. Everything is accumulated in double. Top-k and top-p bin the row by
/// weight (<see cref="WeightBins"/>) and select by partitioning (<see cref="Candidate"/>) inside the bins where their
/// boundaries fall, never by sorting the vocabulary.
/// <para>
/// The worker samples here rather than in ORT GenAI (whose generator has one RNG and one set of search options per
/// batch): each row has its own seeded RNG and its group's settings, so a group samples the same tokens whether it runs
/// alone or packed with other groups, and banned ids and stop ids are per request.
/// </para>
/// </summary>
public static class RowSampler
{
    // Per-thread scratch (a generator's rows are drawn on its thread): the row with its banned ids at −inf, the weights
    // of one row, and its candidates.
    [ThreadStatic] private static float[]? t_masked;
    [ThreadStatic] private static double[]? t_weights;
    [ThreadStatic] private static double[]? t_gate;
    [ThreadStatic] private static Candidate[]? t_candidates;
    [ThreadStatic] private static WeightBins? t_bins;

    public static int Sample(ReadOnlySpan<float> logits, float temperature, int topK, float topP, bool[]? banned, double u) =>
        Draw(logits, temperature, topK, topP, banned, u, out _, out _);

    /// <summary>
    /// As <see cref="Sample(ReadOnlySpan{float}, float, int, float, bool[], double)"/>, with the drawn token's behaviour
    /// log-prob (<see cref="LogProbs.Tempered"/>). With no banned ids the draw's own max and weights are the log-prob's
    /// terms, so their sum serves both (one pass over the row instead of two; the same value to the bit).
    /// </summary>
    public static int Sample(ReadOnlySpan<float> logits, float temperature, int topK, float topP, bool[]? banned, double u, out float logProb)
    {
        var token = Draw(logits, temperature, topK, topP, banned, u, out var max, out var sum);
        logProb = banned is null && !double.IsNaN(sum)
            ? LogProbs.FromSum(logits[token], max, temperature, sum)
            : LogProbs.Tempered(logits, token, temperature);
        return token;
    }

    /// <param name="sum">Σ of the row's weights when they were computed (every draw but top-k 1), else NaN.</param>
    private static int Draw(ReadOnlySpan<float> logits, float temperature, int topK, float topP, bool[]? banned, double u,
        out double max, out double sum)
    {
        sum = double.NaN;
        // The row as drawn: banned ids at −inf, so they get weight exp(−inf) = 0 like the decoder's masked columns.
        var row = Masked(logits, banned);
        var rowMax = TensorPrimitives.Max(row);
        max = rowMax;
        if (float.IsNaN(rowMax))
        {
            throw new InvalidOperationException("the logits contain NaN");
        }
        if (float.IsNegativeInfinity(rowMax))
        {
            throw new InvalidOperationException("every token is banned or has logit −inf");
        }
        // The first id holding the maximum: ties go to the lower id.
        var argmax = row.IndexOf(rowMax);
        if (topK == 1)
        {
            return argmax;
        }
        var weights = Weights(row, max, 1.0 / temperature);
        sum = TensorPrimitives.Sum(weights);
        if ((topK == 0 || topK >= logits.Length) && topP >= 1f)
        {
            // The full distribution: inverse CDF in id order, no sort needed.
            var target = u * sum;
            var last = argmax;
            for (var i = 0; i < weights.Length; i++)
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
        return SampleTruncated(weights, topK, topP, u);
    }

    /// <summary>
    /// <c>exp((row − max) / T)</c> for every id, in double, into this thread's scratch — vectorized, a chunk at a time
    /// so its passes stay in the L1 cache. An exponent below <see cref="Floor"/> (a banned or −inf logit among them)
    /// weighs exactly 0: clamping keeps every lane on the vector kernel, which falls back to the scalar exp for a whole
    /// vector holding an out-of-range value — the two differ in the last bit, and equal logits must keep equal weights
    /// (ties go to the lower id).
    /// </summary>
    internal static ReadOnlySpan<double> Weights(ReadOnlySpan<float> row, double max, double inverseT)
    {
        const int Chunk = 1024;
        var n = row.Length;
        var weights = Scratch(ref t_weights, n).AsSpan(0, n);
        var gate = Scratch(ref t_gate, Chunk);
        for (var start = 0; start < n; start += Chunk)
        {
            // The last chunk ends at n and overlaps the one before it, so no call sees a short tail.
            var from = Math.Max(0, Math.Min(start, n - Chunk));
            var length = Math.Min(Chunk, n);
            var x = weights.Slice(from, length);
            var open = gate.AsSpan(0, length);
            TensorPrimitives.ConvertChecked<float, double>(row.Slice(from, length), x);
            TensorPrimitives.Subtract(x, max, x);
            TensorPrimitives.Multiply(x, inverseT, x);
            TensorPrimitives.Max(x, Floor, x);
            TensorPrimitives.Subtract(x, Floor, open);                // exactly 0 at the floor, ≥ 1e−13 (its ulp) above it
            TensorPrimitives.Multiply(open, 1e300, open);
            TensorPrimitives.Min(open, 1.0, open);                    // 0 or 1
            TensorPrimitives.Exp(x, x);
            TensorPrimitives.Multiply(x, open, x);
        }
        return weights;
    }

    /// <summary>The lowest exponent with a weight: exp(−700) ≈ 1e−304 of the most likely token's.</summary>
    private const double Floor = -700;

    private static ReadOnlySpan<float> Masked(ReadOnlySpan<float> logits, bool[]? banned)
    {
        if (banned is null)
        {
            return logits;
        }
        var masked = Scratch(ref t_masked, logits.Length).AsSpan(0, logits.Length);
        logits.CopyTo(masked);
        var ids = banned.AsSpan(0, Math.Min(banned.Length, logits.Length));
        for (int from = 0, i; (i = ids[from..].IndexOf(true)) >= 0; from += i + 1)
        {
            masked[from + i] = float.NegativeInfinity;
        }
        return masked;
    }

    /// <summary>
    /// Top-k and top-p by partial selection (no sort): the k most likely go to the front, then the smallest
    /// most-likely-first prefix reaching p·mass is kept, then the draw is the token whose most-likely-first cumulative mass
    /// first exceeds u·(kept mass). The row is binned by weight first (<see cref="WeightBins"/>), so each boundary needs the
    /// exact order only among the members of the bin it falls in: the k most likely are among the bins down to the one
    /// where the count reaches k; top-p's edge is one bin, and so is the draw's. Masses are summed per bin and per
    /// partition, so a boundary can differ from a sorted running sum only by rounding.
    /// </summary>
    private static int SampleTruncated(ReadOnlySpan<double> weights, int topK, float topP, double u)
    {
        var bins = t_bins ??= new WeightBins();
        var count = bins.Fill(weights);
        var all = Scratch(ref t_candidates, weights.Length);
        if (topP >= 1f || (topK > 0 && topK < count))
        {
            // Top-k (and top-p among those k), or the rare top-p = 1 with every id kept: partial selection over the
            // candidates, which for top-k are the bins down to the one where the count reaches k.
            var from = topK > 0 && topK < count ? bins.ReachingCount(topK) : 0;
            var kept = all.AsSpan(0, bins.Gather(weights, from, andAbove: true, all));
            if (topK > 0 && topK < kept.Length)
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
            return kept[Candidate.PrefixReaching(kept, u * total, inclusive: false) - 1].Id;
        }
        // Top-p over the whole row: every bin above the edge bin is kept whole, and of the edge bin the prefix that
        // reaches p·mass.
        var needed = topP * bins.Total();
        var edgeBin = bins.ReachingMass(needed, inclusive: true, lowest: 0, orLast: true, out var above);
        var edge = all.AsSpan(0, bins.Gather(weights, edgeBin, andAbove: false, all));
        edge = edge[..Candidate.PrefixReaching(edge, needed - above, inclusive: true)];
        var target = u * (above + Candidate.Mass(edge));
        // The draw: in a whole bin above the edge, or in the edge's kept prefix.
        var drawBin = bins.ReachingMass(target, inclusive: false, lowest: edgeBin + 1, orLast: false, out var before);
        if (drawBin < 0)
        {
            return edge[Candidate.PrefixReaching(edge, target - before, inclusive: false) - 1].Id;
        }
        var rest = all.AsSpan(edge.Length);
        var members = rest[..bins.Gather(weights, drawBin, andAbove: false, rest)];
        return members[Candidate.PrefixReaching(members, target - before, inclusive: false) - 1].Id;
    }

    private static T[] Scratch<T>(ref T[]? buffer, int length) =>
        buffer is { } b && b.Length >= length ? b : buffer = new T[length];

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
