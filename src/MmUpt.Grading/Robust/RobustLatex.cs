using System.Text.RegularExpressions;

namespace MmUpt.Grading.Robust;

/// <summary>
/// The first step of the robust parse: one spelling per meaning. Math delimiters, <c>\boxed</c>, <c>\left</c>/
/// <c>\right</c>, spacing macros, degrees, percent and currency signs and words, and unit words or <c>\text{ unit}</c>
/// after a number go; thousands separators (<c>1,000</c>, <c>1{,}000</c>, <c>1,\!000</c>, <c>1 000</c>) are joined;
/// relations become one character each (≤ ≥ ≠ ≈ ∈), as do ∪ ± ∞; doubled backslashes before a command are undone.
/// Linear-time regular expressions only.
/// </summary>
internal static partial class RobustLatex
{
    public static string Clean(string s)
    {
        // Each regex runs only when its trigger is present: the common answer ("42") skips them all.
        var latex = s.Contains('\\');
        s = s.Contains(@"\\", StringComparison.Ordinal) ? DoubledBackslashRegex().Replace(s, @"\") : s;
        s = s.Replace(@"\(", " ", StringComparison.Ordinal).Replace(@"\)", " ", StringComparison.Ordinal)
            .Replace(@"\[", " ", StringComparison.Ordinal).Replace(@"\]", " ", StringComparison.Ordinal)
            .Replace("$", " ", StringComparison.Ordinal)
            .Replace(@"\boxed{", "{", StringComparison.Ordinal).Replace(@"\fbox{", "{", StringComparison.Ordinal)
            .Replace(@"\dfrac", @"\frac", StringComparison.Ordinal).Replace(@"\tfrac", @"\frac", StringComparison.Ordinal)
            .Replace(@"\cfrac", @"\frac", StringComparison.Ordinal)
            .Replace("{,}", "", StringComparison.Ordinal);
        var letters = s.AsSpan().IndexOfAnyInRange('a', 'z') >= 0;
        if (latex)
        {
            s = ThinThousandsRegex().Replace(s, "");
            s = MixedNumberRegex().Replace(s, "(${w}+${n}/${d})");
            s = UnitTextRegex().Replace(s, "");
            s = TextAndRegex().Replace(s, " ${w} ");
        }
        if (letters)
        {
            s = ScaleWordRegex().Replace(s, m => m.Groups["w"].Value switch { "million" => "*10^6", "billion" => "*10^9", _ => "*10^3" });
            s = GluedOrRegex().Replace(s, ", ");
        }
        if (latex || letters || s.AsSpan().IndexOfAny("%°€£") >= 0)
        {
            s = DropRegex().Replace(s, "");
        }
        if (latex || s.AsSpan().IndexOfAny("~\t\n\r") >= 0 || s.Contains("  ", StringComparison.Ordinal))
        {
            s = SpaceRegex().Replace(s, " ");
        }
        if (latex || s.AsSpan().IndexOfAny("<>!") >= 0)
        {
            s = RelationRegex().Replace(s, m => m.Value switch
            {
                ">=" => "≥", "<=" => "≤", "!=" => "≠", _ => Symbol(m.Groups["name"].Value),
            });
        }
        s = letters ? UnitWordRegex().Replace(s, "") : s;
        s = s.Contains(',') ? CommaThousandsRegex().Replace(s, m => m.Value.Replace(",", "", StringComparison.Ordinal)) : s;
        s = s.Trim().TrimEnd('.', ',', ';').Trim();
        return s.Contains(' ') && SpaceThousandsRegex().IsMatch(s) ? s.Replace(" ", "", StringComparison.Ordinal) : s;
    }

    private static string Symbol(string name) => name switch
    {
        "le" or "leq" or "leqslant" => "≤",
        "ge" or "geq" or "geqslant" => "≥",
        "ne" or "neq" => "≠",
        "lt" => "<",
        "gt" => ">",
        "approx" => "≈",
        "in" => "∈",
        "cup" => "∪",
        "pm" => "±",
        _ => "∞",
    };

    [GeneratedRegex(@"\\\\(?=[A-Za-z])")]
    private static partial Regex DoubledBackslashRegex();

    // "3\frac{1}{2}" = 3½, not 3·½.
    [GeneratedRegex(@"(?<![\d.}^_])(?<w>\d+)\s*\\frac\{(?<n>\d+)\}\{(?<d>\d+)\}")]
    private static partial Regex MixedNumberRegex();

    [GeneratedRegex(@"(?<=\d)\s*(?<w>million|billion|thousand)\b")]
    private static partial Regex ScaleWordRegex();

    [GeneratedRegex(@",\\! *")]
    private static partial Regex ThinThousandsRegex();

    // "15\mbox{ cm}^2", "125\textnormal{ miles}", "\frac13 \textbf{meters}": a unit in text after a value.
    [GeneratedRegex(@"(?<=[\d})]\s*)\\(?:text|textbf|textrm|textnormal|mbox|mathrm)\{(?!\s*(?:and|or)\s*\})\s*[A-Za-z][A-Za-z ]*\}(?:\^\{?\d\}?)?")]
    private static partial Regex UnitTextRegex();

    // "(11,7)or(7,11)"
    [GeneratedRegex(@"(?<=[)\]])\s*(?:or|and)\s*(?=[(\[])")]
    private static partial Regex GluedOrRegex();

    [GeneratedRegex(@"\\text\{\s*(?<w>and|or)\s*\}")]
    private static partial Regex TextAndRegex();

    [GeneratedRegex(@"\\(?:(?:left|right|displaystyle)(?![a-zA-Z])|!|,|;|:|q?quad(?![a-zA-Z]{2}))|\^\s*\{?\\circ\}?|°|\\%|%|\\\$|€|£|\b(?:percentage|percent|pct)\b")]
    private static partial Regex DropRegex();

    [GeneratedRegex(@"\\[ ,;:]|~|\s+")]
    private static partial Regex SpaceRegex();

    [GeneratedRegex(@">=|<=|!=|\\(?<name>leqslant|geqslant|leq|geq|le|ge|neq|ne|lt|gt|approx|in|cup|pm|infty)(?![A-Za-z])")]
    private static partial Regex RelationRegex();

    [GeneratedRegex(@"(?<=\d)\s*(?:cm|km|mm|kg|m|g|miles?|meters?|metres?|units?|hours?|minutes?|seconds?|days?|years?|dollars?|cents?|yuan|feet|foot|inches|inch|yards?|degrees?)(?:\^\d|²|³)?(?![A-Za-z])")]
    private static partial Regex UnitWordRegex();

    [GeneratedRegex(@"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,])")]
    private static partial Regex CommaThousandsRegex();

    [GeneratedRegex(@"^-?\d{1,3}(?: \d{3})+(?:\.\d+)?$")]
    private static partial Regex SpaceThousandsRegex();
}
