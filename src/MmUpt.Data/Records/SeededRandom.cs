namespace MmUpt.Data;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014): a tiny generator whose output depends only on the seed, on every platform and
/// .NET version (unlike <see cref="Random"/>, whose seeded algorithm is an implementation detail). Shuffles and synthetic
/// tasks use it so that a seed reproduces the same data forever.
/// </summary>
public sealed class SeededRandom(ulong seed)
{
    private ulong _state = seed;

    /// <summary>A generator for a sub-stream, e.g. (seed, epoch, block): the parts are mixed, not added, so streams don't overlap.</summary>
    public static SeededRandom For(long seed, params long[] parts)
    {
        var s = Mix((ulong)seed);
        foreach (var p in parts)
        {
            s = Mix(s ^ Mix((ulong)p + 0x632BE59BD9B4E019UL));
        }
        return new SeededRandom(s);
    }

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform integer in [0, bound), bound &gt; 0; rejection sampling keeps it unbiased.</summary>
    public int Next(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        var limit = ulong.MaxValue - ulong.MaxValue % (ulong)bound;
        ulong x;
        do
        {
            x = NextUInt64();
        } while (x >= limit);
        return (int)(x % (ulong)bound);
    }

    /// <summary>Uniform integer in [min, max] inclusive.</summary>
    public int Next(int min, int max) => min + Next(max - min + 1);

    /// <summary>Uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>The permutation of 0..n-1 by Fisher–Yates.</summary>
    public int[] Permutation(int n)
    {
        var p = new int[n];
        for (var i = 0; i < n; i++) p[i] = i;
        for (var i = n - 1; i > 0; i--)
        {
            var j = Next(i + 1);
            (p[i], p[j]) = (p[j], p[i]);
        }
        return p;
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
