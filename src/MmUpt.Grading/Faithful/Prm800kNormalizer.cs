using System.Text.RegularExpressions;
using MmUpt.Grading.Equivalence;

namespace MmUpt.Grading.Faithful;

/// <summary>
/// PRM800K's <c>_normalize</c> as MathRuler ships it (grader.py), in its order: unwrap <c>\text{}</c>; drop <c>$</c> and
/// <c>%</c>; " or "/" and " → ","; million/billion/trillion → <c>*10^k</c>; its 16 unit words (with plural and
/// power); <c>^\circ</c>; one outer brace pair; <c>,\!</c>; an integer-valued float → its integer; LaTeX → text
/// (<see cref="PyLatexText"/>, then √ π ∞ ∪ · × as words); "- " → "-"; "7 3/4" → "7+3/4"; spaces and braces
/// dropped; lower case; an integer string with commas → its integer. One departure: a unit word must not follow a
/// letter, so "monday" keeps its "day" (the original turns it into "mon").
/// </summary>
internal static partial class Prm800kNormalizer
{
    public static string Normalize(string expr)
    {
        // Each regex runs only when its trigger is present: the common answer ("42") skips them all.
        if (expr.StartsWith(@"\text{", StringComparison.Ordinal) && TextRegex().Match(expr) is { Success: true } m)
        {
            expr = m.Groups["text"].Value;
        }
        expr = expr.Replace(@"\%", "%", StringComparison.Ordinal)
            .Replace(@"\$", "$", StringComparison.Ordinal)
            .Replace("$", "", StringComparison.Ordinal)
            .Replace("%", "", StringComparison.Ordinal)
            .Replace(" or ", " , ", StringComparison.Ordinal)
            .Replace(" and ", " , ", StringComparison.Ordinal)
            .Replace("million", "*10^6", StringComparison.Ordinal)
            .Replace("billion", "*10^9", StringComparison.Ordinal)
            .Replace("trillion", "*10^12", StringComparison.Ordinal);
        expr = HasLetters(expr) ? UnitRegex().Replace(expr, "") : expr;
        expr = expr.Contains(@"\circ", StringComparison.Ordinal) ? CircRegex().Replace(expr, "") : expr;
        if (expr.Length > 0 && expr[0] == '{' && expr[^1] == '}')
        {
            expr = expr[1..^1];
        }
        expr = expr.Contains(@",\!", StringComparison.Ordinal) ? ThinSpaceCommaRegex().Replace(expr, "") : expr;
        if (PyNumbers.TryParseFloat(expr, out var x) && PyNumbers.IsInt(x))
        {
            expr = PyNumbers.RoundedIntegerString(expr, x);
        }
        if (expr.Contains('\\'))
        {
            expr = ParseLatex(expr) ?? expr;
        }
        expr = expr.Contains("- ", StringComparison.Ordinal) ? DashRegex().Replace(expr, "-") : expr;
        expr = expr.Contains(' ') ? MixedNumberRegex().Replace(expr, "$1+$2") : expr;
        expr = expr.Replace(" ", "", StringComparison.Ordinal)
            .Replace("{", "", StringComparison.Ordinal)
            .Replace("}", "", StringComparison.Ordinal)
            .ToLowerInvariant();
        return PyNumbers.StrIsInt(expr) ? PyNumbers.StrToInt(expr) : expr;
    }

    private static bool HasLetters(string s) => s.AsSpan().IndexOfAnyInRange('a', 'z') >= 0;

    // _parse_latex; null where the original raises (then the caller keeps the text).
    private static string? ParseLatex(string expr)
    {
        expr = expr.Replace(@"\tfrac", @"\frac", StringComparison.Ordinal)
            .Replace(@"\dfrac", @"\frac", StringComparison.Ordinal)
            .Replace(@"\frac", @" \frac", StringComparison.Ordinal);
        var text = PyLatexText.Render(expr);
        return text?.Replace("√", "sqrt", StringComparison.Ordinal)
            .Replace("π", "pi", StringComparison.Ordinal)
            .Replace("∞", "inf", StringComparison.Ordinal)
            .Replace("∪", "U", StringComparison.Ordinal)
            .Replace("·", "*", StringComparison.Ordinal)
            .Replace("×", "*", StringComparison.Ordinal)
            .Trim();
    }

    // Python's re.search(r"^\\text\{(?P<text>.+?)\}$") on the untrimmed answer; "$" also matches before a final "\n".
    [GeneratedRegex(@"^\\text\{(?<text>.+?)\}\n?$")]
    private static partial Regex TextRegex();

    [GeneratedRegex(@"(?<![A-Za-z])(?:degree|cm|centimeter|meter|mile|second|minute|hour|day|week|month|year|foot|feet|inch|yard)(?:es)?(?:s)? *(?:\^[0-9]+)?")]
    private static partial Regex UnitRegex();

    [GeneratedRegex(@"\^ *\\circ")]
    private static partial Regex CircRegex();

    [GeneratedRegex(@",\\! *")]
    private static partial Regex ThinSpaceCommaRegex();

    [GeneratedRegex("- *")]
    private static partial Regex DashRegex();

    [GeneratedRegex("([0-9]) +([0-9])")]
    private static partial Regex MixedNumberRegex();
}
