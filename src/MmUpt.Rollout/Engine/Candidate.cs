namespace MmUpt.Rollout.Engine;

/// <summary>
/// A token with its unnormalised probability, and the partial selections <see cref="RowSampler"/> makes over a row of
/// them in "most likely first" order (weight descending, then id ascending — a total order, since ids are unique).
/// Each selection is a quickselect with the middle element as pivot: expected O(n), deterministic, nothing sorted.
/// </summary>
internal readonly record struct Candidate(double Weight, int Id)
{
    private bool Before(Candidate other) => Weight > other.Weight || (Weight == other.Weight && Id < other.Id);

    public static double Mass(ReadOnlySpan<Candidate> items)
    {
        var sum = 0.0;
        foreach (var c in items)
        {
            sum += c.Weight;
        }
        return sum;
    }

    /// <summary>Moves the <paramref name="k"/> most likely of <paramref name="items"/> to its front (in no particular order).</summary>
    public static void SelectFirst(Span<Candidate> items, int k)
    {
        int lo = 0, hi = items.Length;
        while (lo < hi)
        {
            var m = Partition(items, lo, hi, out _);
            if (m == k || m == k - 1)
            {
                return;
            }
            if (m < k)
            {
                lo = m + 1;
            }
            else
            {
                hi = m;
            }
        }
    }

    /// <summary>
    /// The length n of the shortest most-likely-first prefix whose mass reaches <paramref name="needed"/> (≥ when
    /// <paramref name="inclusive"/>, else &gt;), rearranging <paramref name="items"/> so that prefix is items[..n] and its
    /// least likely member is items[n − 1]. All of them when none does (rounding at the very end).
    /// </summary>
    public static int PrefixReaching(Span<Candidate> items, double needed, bool inclusive)
    {
        bool Reaches(double mass) => inclusive ? mass >= needed : mass > needed;
        // items[..lo] is fixed in the prefix (each member before everything in [lo, hi)) and its mass, before, does not reach.
        int lo = 0, hi = items.Length;
        var before = 0.0;
        while (lo < hi)
        {
            var m = Partition(items, lo, hi, out var ahead);   // [lo, m) before items[m], (m, hi) after it
            if (Reaches(before + ahead))
            {
                hi = m;                                         // the crossing is inside [lo, m), which is not empty
            }
            else if (Reaches(before + ahead + items[m].Weight))
            {
                return m + 1;
            }
            else
            {
                before = before + ahead + items[m].Weight;
                lo = m + 1;
            }
        }
        return lo;
    }

    /// <summary>Lomuto partition of [lo, hi) around its middle element; returns the pivot's place and the mass before it.</summary>
    private static int Partition(Span<Candidate> items, int lo, int hi, out double ahead)
    {
        var mid = lo + (hi - lo) / 2;
        (items[mid], items[hi - 1]) = (items[hi - 1], items[mid]);
        var pivot = items[hi - 1];
        var store = lo;
        ahead = 0.0;
        for (var i = lo; i < hi - 1; i++)
        {
            if (items[i].Before(pivot))
            {
                ahead += items[i].Weight;
                (items[i], items[store]) = (items[store], items[i]);
                store++;
            }
        }
        (items[store], items[hi - 1]) = (items[hi - 1], items[store]);
        return store;
    }
}
