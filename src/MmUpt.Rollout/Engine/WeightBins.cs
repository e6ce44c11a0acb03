namespace MmUpt.Rollout.Engine;

/// <summary>
/// A row's weights binned by value, so that top-k and top-p need <see cref="Candidate"/>'s exact most-likely-first order
/// (weight descending, id ascending) only inside the one or two bins where a boundary falls, not over the vocabulary.
/// A weight is in [0, 1] (the most likely token weighs exp(0) = 1); its bin is its double's exponent and top
/// <see cref="SubBits"/> mantissa bits — 256 bins per octave, each spanning a factor 2^(1/256) — over the
/// <see cref="Octaves"/> octaves below 1, and every lighter positive weight shares bin 0. Bins are monotone in the
/// weight, so every member of a higher bin comes before every member of a lower one. <see cref="Fill"/> bins a row in one
/// pass (mass and count per bin); a scan from the top bin finds where a count or a mass is reached; one more pass
/// gathers a bin's members. Not thread-safe: one per sampling thread.
/// </summary>
internal sealed class WeightBins
{
    private const int SubBits = 8;
    private const int Octaves = 64;
    private const int Shift = 52 - SubBits;
    private static readonly long Lowest = BitConverter.DoubleToInt64Bits(Math.ScaleB(1.0, -Octaves)) >> Shift;

    /// <summary>Bin 0 (below 2^−64), then one bin per 1/256 octave up to and including 1.0's.</summary>
    public const int Count = (Octaves << SubBits) + 2;

    private readonly double[] _mass = new double[Count];
    private readonly int[] _count = new int[Count];
    private int[] _bin = [];
    private int _length;

    /// <summary>The bin of a positive weight ≤ 1.</summary>
    public static int Of(double weight)
    {
        var b = (BitConverter.DoubleToInt64Bits(weight) >> Shift) - Lowest + 1;
        return b < 1 ? 0 : (int)Math.Min(b, Count - 1);
    }

    /// <summary>Bins every positive weight of <paramref name="weights"/>; returns how many there are.</summary>
    public int Fill(ReadOnlySpan<double> weights)
    {
        Array.Clear(_mass);
        Array.Clear(_count);
        if (_bin.Length < weights.Length)
        {
            _bin = new int[weights.Length];
        }
        _length = weights.Length;
        var positive = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            var w = weights[i];
            if (w > 0)
            {
                var b = Of(w);
                _bin[i] = b;
                _mass[b] += w;
                _count[b]++;
                positive++;
            }
            else
            {
                _bin[i] = -1;
            }
        }
        return positive;
    }

    /// <summary>The highest bin at which the count from the top bin down reaches <paramref name="k"/> (1 ≤ k ≤ the positive count).</summary>
    public int ReachingCount(int k)
    {
        var seen = 0;
        for (var b = Count - 1; b > 0; b--)
        {
            seen += _count[b];
            if (seen >= k)
            {
                return b;
            }
        }
        return 0;
    }

    /// <summary>Σ of every bin's mass, summed from the top bin down.</summary>
    public double Total()
    {
        var sum = 0.0;
        for (var b = Count - 1; b >= 0; b--)
        {
            sum += _mass[b];
        }
        return sum;
    }

    /// <summary>
    /// The highest bin ≥ <paramref name="lowest"/> at which the mass from the top bin down reaches <paramref name="needed"/>
    /// (≥ when <paramref name="inclusive"/>, else &gt;), with <paramref name="above"/> the mass of the bins above it. When
    /// no bin does (rounding at the very end): with <paramref name="orLast"/> the lowest non-empty bin ≥ <paramref name="lowest"/>,
    /// else −1 with <paramref name="above"/> the mass of every bin ≥ <paramref name="lowest"/>.
    /// </summary>
    public int ReachingMass(double needed, bool inclusive, int lowest, bool orLast, out double above)
    {
        above = 0.0;
        var last = -1;
        var beforeLast = 0.0;
        for (var b = Count - 1; b >= lowest; b--)
        {
            if (_count[b] == 0)
            {
                continue;
            }
            var mass = above + _mass[b];
            if (inclusive ? mass >= needed : mass > needed)
            {
                return b;
            }
            (last, beforeLast, above) = (b, above, mass);
        }
        if (orLast && last >= 0)
        {
            above = beforeLast;
            return last;
        }
        return -1;
    }

    /// <summary>The members of bin <paramref name="bin"/> (or, with <paramref name="andAbove"/>, of every bin ≥ it) into <paramref name="into"/>, in id order; returns how many.</summary>
    public int Gather(ReadOnlySpan<double> weights, int bin, bool andAbove, Span<Candidate> into)
    {
        var n = 0;
        var bins = _bin.AsSpan(0, _length);
        for (var i = 0; i < bins.Length; i++)
        {
            if (bins[i] == bin || (andAbove && bins[i] > bin))
            {
                into[n++] = new Candidate(weights[i], i);
            }
        }
        return n;
    }
}
