using System.Text;
using System.Text.RegularExpressions;

namespace MmUpt.Grading.Faithful;

/// <summary>
/// PRM800K's <c>should_allow_eval</c>: sympy is not called on <c>(truth)-(given)</c> when it holds more than two
/// distinct letters (after removing "sqrt" and "frac"; π written "pi" counts p and i), <c>^{</c> or <c>^(</c>, a
/// two-digit exponent or a tower <c>^2^</c>. Such pairs are equal only as normalized strings.
/// </summary>
internal static partial class SympyGate
{
    public static bool Allows(string expr)
    {
        var stripped = expr.Replace("sqrt", "", StringComparison.Ordinal).Replace("frac", "", StringComparison.Ordinal);
        var letters = new HashSet<Rune>();
        foreach (var rune in stripped.EnumerateRunes())
        {
            if (Rune.IsLetter(rune) && letters.Add(rune) && letters.Count > 2)
            {
                return false;
            }
        }
        return !expr.Contains("^{", StringComparison.Ordinal)
            && !expr.Contains("^(", StringComparison.Ordinal)
            && !TowerRegex().IsMatch(expr)
            && !TwoDigitExponentRegex().IsMatch(expr);
    }

    [GeneratedRegex(@"\^[0-9]+\^")]
    private static partial Regex TowerRegex();

    [GeneratedRegex(@"\^[0-9][0-9]+")]
    private static partial Regex TwoDigitExponentRegex();
}
