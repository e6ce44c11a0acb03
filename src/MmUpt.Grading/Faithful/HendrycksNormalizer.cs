using System.Text;
using MmUpt.Grading.Equivalence;

namespace MmUpt.Grading.Faithful;

/// <summary>
/// Hendrycks MATH's <c>normalize_answer</c> / <c>_strip_string</c> as MathRuler ships it (math_normalize.py), step for
/// step: unwrap <c>\text{}</c>, drop line breaks, <c>\!</c>, <c>\left</c>/<c>\right</c>, degrees, <c>\$</c>, one
/// trailing <c>\text{ unit}</c>, percent signs and spaces; a short <c>k =</c> prefix; <c>\sqrt3</c> → <c>\sqrt{3}</c>;
/// <c>\frac12</c> → <c>\frac{1}{2}</c>; <c>0.5</c> → <c>\frac{1}{2}</c>; <c>3/4</c> → <c>\frac{3}{4}</c>. Where the
/// original raises (a second <c>\text{ </c>, a bare <c>\sqrt</c> or <c>\frac</c> at the end) it returns the unwrapped
/// answer unchanged, as the original's <c>except</c> does.
/// </summary>
internal static class HendrycksNormalizer
{
    public static string Normalize(string answer)
    {
        var trimmed = answer.Trim();
        var unwrapped = TextWrapper.Unwrap(trimmed);
        unwrapped = unwrapped.Length == trimmed.Length ? unwrapped : unwrapped.Trim();
        return Strip(unwrapped) ?? unwrapped;
    }

    // _strip_string; null where the original raises.
    private static string? Strip(string s)
    {
        s = s.Replace("\n", "", StringComparison.Ordinal)
            .Replace(@"\!", "", StringComparison.Ordinal)
            .Replace(@"\\", @"\", StringComparison.Ordinal)
            .Replace("tfrac", "frac", StringComparison.Ordinal)
            .Replace("dfrac", "frac", StringComparison.Ordinal)
            .Replace(@"\left", "", StringComparison.Ordinal)
            .Replace(@"\right", "", StringComparison.Ordinal)
            .Replace(@"^{\circ}", "", StringComparison.Ordinal)
            .Replace(@"^\circ", "", StringComparison.Ordinal)
            .Replace(@"\$", "", StringComparison.Ordinal);
        var unit = s.IndexOf(@"\text{ ", StringComparison.Ordinal);
        if (unit >= 0)
        {
            if (s.IndexOf(@"\text{ ", unit + 1, StringComparison.Ordinal) >= 0)
            {
                return null; // the original asserts exactly one unit
            }
            s = s[..unit];
        }
        s = s.Replace(@"\%", "", StringComparison.Ordinal)
            .Replace("%", "", StringComparison.Ordinal)
            .Replace(" .", " 0.", StringComparison.Ordinal)
            .Replace("{.", "{0.", StringComparison.Ordinal);
        if (s.Length == 0)
        {
            return s;
        }
        if (s[0] == '.')
        {
            s = "0" + s;
        }
        var eq = s.IndexOf('=');
        if (eq >= 0 && eq <= 2 && s.IndexOf('=', eq + 1) < 0)
        {
            s = s[(eq + 1)..];
        }
        if (FixSqrt(s) is not { } sqrt)
        {
            return null;
        }
        s = sqrt.Replace(" ", "", StringComparison.Ordinal);
        if (FixFracs(s) is not { } fracs)
        {
            return null;
        }
        s = fracs == @"0.5" ? @"\frac{1}{2}" : fracs;
        return FixSlash(s);
    }

    // "\sqrt3" → "\sqrt{3}": the one character after each \sqrt gets braces; null when a \sqrt ends the string.
    private static string? FixSqrt(string s)
    {
        if (!s.Contains(@"\sqrt", StringComparison.Ordinal))
        {
            return s;
        }
        var parts = s.Split(@"\sqrt");
        var sb = new StringBuilder(parts[0], s.Length + 8);
        foreach (var part in parts.Skip(1))
        {
            if (part.Length == 0)
            {
                return null;
            }
            sb.Append(part[0] == '{' ? @"\sqrt" + part : @"\sqrt{" + part[0] + "}" + part[1..]);
        }
        return sb.ToString();
    }

    // _fix_fracs: "\frac12" → "\frac{1}{2}", "\frac1{2}" → "\frac{1}{2}"; an empty tail raises (null), a one-character
    // tail returns the input unchanged (the original's early return).
    private static string? FixFracs(string s)
    {
        var parts = s.Split(@"\frac");
        if (parts.Length == 1)
        {
            return s;
        }
        var sb = new StringBuilder(parts[0], s.Length + 8);
        foreach (var part in parts.Skip(1))
        {
            sb.Append(@"\frac");
            if (part.Length == 0)
            {
                return null;
            }
            if (part[0] == '{')
            {
                sb.Append(part);
                continue;
            }
            if (part.Length < 2)
            {
                return s;
            }
            var (a, b, rest) = (part[0], part[1], part[2..]);
            sb.Append(b != '{' ? $"{{{a}}}{{{b}}}{rest}" : $"{{{a}}}{b}{rest}");
        }
        return sb.ToString();
    }

    // _fix_a_slash_b: "a/b" of two integers written canonically (Python's str(int(x)) round trip).
    private static string FixSlash(string s)
    {
        var slash = s.IndexOf('/');
        if (slash < 0 || slash != s.LastIndexOf('/'))
        {
            return s;
        }
        var (a, b) = (s[..slash], s[(slash + 1)..]);
        return CanonicalInt(a) && CanonicalInt(b) ? $@"\frac{{{a}}}{{{b}}}" : s;
    }

    private static bool CanonicalInt(string x)
    {
        var digits = x.StartsWith('-') ? x[1..] : x;
        return digits.Length > 0 && digits.All(char.IsAsciiDigit) && (digits == "0" ? x == "0" : digits[0] != '0');
    }
}
