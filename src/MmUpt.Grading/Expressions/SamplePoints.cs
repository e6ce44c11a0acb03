namespace MmUpt.Grading.Expressions;

/// <summary>
/// The value a variable takes at sample point k: a fixed pseudo-random non-integer with magnitude in [0.35, 2.85],
/// derived from the variable's name and k, positive at even k and negative at odd k, so two independently parsed
/// expressions see the same values for the same variable. Both signs catch <c>sqrt(x^2) ≠ x</c> and <c>|x| ≠ x</c>;
/// non-integers away from 0 and ±1 keep coincidences (x² = x, x = 1/x) unlikely. Where an expression is undefined
/// (a root or log of a negative) the point is skipped when both sides are undefined there.
/// </summary>
internal static class SamplePoints
{
    public static double Value(int variable, int point)
    {
        var h = unchecked((uint)variable * 2654435761u ^ (uint)(point + 1) * 2246822519u);
        h ^= h >> 15;
        h = unchecked(h * 2246822519u);
        h ^= h >> 13;
        var magnitude = 0.35 + 2.5 * (h / (double)uint.MaxValue);
        return point % 2 == 0 ? magnitude : -magnitude;
    }
}
