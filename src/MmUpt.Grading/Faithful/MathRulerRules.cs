using MmUpt.Grading.Equivalence;

namespace MmUpt.Grading.Faithful;

/// <summary>
/// MathRuler's <c>grade_answer(given, ground_truth)</c> (grader.py, the PRM800K grader), in its order:
/// (1) equal after <see cref="HendrycksNormalizer"/>; (2) equal after <see cref="Prm800kNormalizer"/>; (3) an empty
/// given answer is wrong; (4) tuples and intervals (<see cref="TupleSplitter"/>) need the truth's brackets and length;
/// then element by element: two fractions <c>a/b</c> must be the same string (no credit for <c>2/4</c> against
/// <c>1/2</c>), an integer needs an integer, anything else goes to <see cref="SympyEquality"/>.
/// </summary>
internal static class MathRulerRules
{
    public static PreparedAnswer Prepare(string answer, string trimmed) =>
        new(trimmed, HendrycksNormalizer.Normalize(answer), Prm800kNormalizer.Normalize(answer), oversize: false);

    public static bool Equivalent(PreparedAnswer given, PreparedAnswer truth)
    {
        if (given.Mathd == truth.Mathd || given.Key == truth.Key)
        {
            return true;
        }
        if (given.Key.Length == 0)
        {
            return false;
        }
        var (g, t) = (given.Elements, truth.Elements);
        if (t.Length > 1 && (given.Key[0] != truth.Key[0] || given.Key[^1] != truth.Key[^1]))
        {
            return false;
        }
        if (t.Length != g.Length)
        {
            return false;
        }
        for (var i = 0; i < t.Length; i++)
        {
            if (!ElementEqual(g[i], t[i]))
            {
                return false;
            }
        }
        return true;
    }

    private static bool ElementEqual(string given, string truth)
    {
        if (NumberForms.IsFraction(truth) && NumberForms.IsFraction(given))
        {
            return truth == given;
        }
        if (PyNumbers.StrIsInt(truth) != PyNumbers.StrIsInt(given))
        {
            return false;
        }
        return SympyEquality.Equal(truth, given);
    }
}
