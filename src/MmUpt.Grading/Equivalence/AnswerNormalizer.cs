using System.Text;
using System.Text.RegularExpressions;

namespace MmUpt.Grading.Equivalence;

/// <summary>
/// The second normalization of the PRM800K grader (its <c>_normalize</c>): drops <c>\text{}</c>, <c>$</c>, <c>%</c>,
/// unit words, degrees and LaTeX spacing; "million" → <c>*10^6</c>; converts LaTeX to plain math
/// (<see cref="LatexToText"/>); "7 3/4" → <c>7+3/4</c>; removes spaces and braces; lower-cases; writes integer-valued
/// numbers as plain integers ("1,000.0" → "1000"). The output is the canonical key of an answer.
/// </summary>
internal static partial class AnswerNormalizer
{
    public static string Normalize(string answer)
    {
        var s = TextWrapper.Unwrap(answer.Trim());
        s = s.Replace(@"\%", "%", StringComparison.Ordinal)
            .Replace(@"\$", "$", StringComparison.Ordinal)
            .Replace("$", "", StringComparison.Ordinal)
            .Replace("%", "", StringComparison.Ordinal)
            .Replace(" or ", " , ", StringComparison.Ordinal)
            .Replace(" and ", " , ", StringComparison.Ordinal)
            .Replace("million", "*10^6", StringComparison.Ordinal)
            .Replace("billion", "*10^9", StringComparison.Ordinal)
            .Replace("trillion", "*10^12", StringComparison.Ordinal)
            .Replace("{,}", ",", StringComparison.Ordinal)
            .Replace("°", "", StringComparison.Ordinal);
        if (HasAsciiLetter(s))
        {
            s = UnitRegex().Replace(s, "");
        }
        s = DegreeRegex().Replace(s, "");
        if (s.Length > 1 && s[0] == '{' && s[^1] == '}')
        {
            s = s[1..^1];
        }
        s = ThinSpaceRegex().Replace(s, "");
        if (NumberForms.TryParseFloat(s, out var x) && NumberForms.IsIntegerValued(x))
        {
            s = NumberForms.CanonicalInteger(s.Trim());
        }
        if (s.Contains('\\'))
        {
            s = LatexToText.Convert(s) ?? s;
        }
        s = Compact(s);
        if (NumberForms.IsIntegerString(s))
        {
            s = NumberForms.CanonicalInteger(NumberForms.StripThousandsCommas(s));
        }
        return s;
    }

    // "- 3" → "-3"; "7 3/4" → "7+3/4" (a mixed number); then spaces and braces dropped, lower case.
    private static string Compact(string s)
    {
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == ' ')
            {
                var prev = sb.Length > 0 ? sb[^1] : '\0';
                var j = i;
                while (j < s.Length && s[j] == ' ')
                {
                    j++;
                }
                if (char.IsAsciiDigit(prev) && j < s.Length && char.IsAsciiDigit(s[j]))
                {
                    sb.Append('+');
                }
                i = j - 1;
                continue;
            }
            if (c is '{' or '}')
            {
                continue;
            }
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    private static bool HasAsciiLetter(string s)
    {
        foreach (var c in s)
        {
            if (char.IsAsciiLetter(c))
            {
                return true;
            }
        }
        return false;
    }

    // PRM800K's unit list plus a few common ones; a unit may carry a plural and a power ("cm^2").
    // Whole words only, so "sqrt", "\second" or "diameter" survive.
    [GeneratedRegex(@"(?<![A-Za-z\\])(?:degree|cm|centimeter|meter|metre|mile|second|minute|hour|day|week|month|year|foot|feet|inch|yard|unit|sq|square|km|kg|mm|liter|litre|pound|dollar|cent|percent)(?:es)?s?(?![A-Za-z]) *(?:\^[0-9]+)?")]
    private static partial Regex UnitRegex();

    [GeneratedRegex(@"\^ *(?:\\circ|\{\\circ\})", RegexOptions.NonBacktracking)]
    private static partial Regex DegreeRegex();

    // LaTeX thousands spacing between digits: "1,\!000", "1\,000", "1\!000".
    [GeneratedRegex(@"(?<=\d)(?:,\\! *|\\,|\\!)(?=\d)")]
    private static partial Regex ThinSpaceRegex();
}
