namespace MmUpt.Grading.Expressions;

/// <summary>
/// The value a variable takes at sample point k: a fixed pseudo-random number in [0.35, 2.85] derived from the variable's
/// name and k, so two independently parsed expressions see the same values for the same variable. Non-integers away
/// from 0 and 1 keep coincidences (x² = x, x = 1/x) unlikely.
/// </summary>
internal static class SamplePoints
{
    public static double Value(int variable, int point)
    {
        var h = unchecked((uint)variable * 2654435761u ^ (uint)(point + 1) * 2246822519u);
        h ^= h >> 15;
        h = unchecked(h * 2246822519u);
        h ^= h >> 13;
        return 0.35 + 2.5 * (h / (double)uint.MaxValue);
    }
}
