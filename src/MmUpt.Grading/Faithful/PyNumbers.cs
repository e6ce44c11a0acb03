using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;

namespace MmUpt.Grading.Faithful;

/// <summary>
/// Python's <c>float(str)</c>, <c>round</c> and <c>int</c> as the PRM800K grader uses them (its <c>_is_float</c>,
/// <c>_is_int</c>, <c>_str_is_int</c>, <c>_str_to_int</c>). One deliberate departure: a plain digit string becomes its
/// integer exactly, where Python goes through a double and so makes 30-digit integers that differ in the last digit
/// equal (a MathRuler accident, named in the tests).
/// </summary>
internal static partial class PyNumbers
{
    /// <summary>Python's <c>float(s)</c>: surrounding whitespace, a sign, underscores between digits, inf/nan.</summary>
    public static bool TryParseFloat(string s, out double value)
    {
        value = 0;
        var t = s.Trim();
        if (t.Length == 0 || t.Length > 400)
        {
            return false;
        }
        var first = t[0];
        if (!(char.IsAsciiDigit(first) || first is '+' or '-' or '.' or 'i' or 'I' or 'n' or 'N'))
        {
            return false;
        }
        if (!char.IsAsciiDigit(first) && SpecialRegex().Match(t) is { Success: true } special)
        {
            var negative = t[0] == '-';
            value = special.Groups["nan"].Success ? double.NaN : negative ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }
        if (!(AllDigits(t) || FloatRegex().IsMatch(t)))
        {
            return false;
        }
        return double.TryParse(t.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary><c>abs(x - int(round(x))) &lt;= 1e-7</c>; false where Python's <c>round</c> raises (inf, nan).</summary>
    public static bool IsInt(double x) => double.IsFinite(x) && Math.Abs(x - Math.Round(x, MidpointRounding.ToEven)) <= 1e-7;

    /// <summary><c>str(int(round(float(s))))</c> for an integer-valued <paramref name="s"/>; digit strings exactly.</summary>
    public static string RoundedIntegerString(string s, double parsed) =>
        ExactDigits(s) ?? new BigInteger(Math.Round(parsed, MidpointRounding.ToEven)).ToString(CultureInfo.InvariantCulture);

    /// <summary>PRM800K's <c>_str_is_int</c>: well-formed thousands commas dropped, then an integer-valued float.</summary>
    public static bool StrIsInt(string s) => TryParseFloat(StripProperCommas(s), out var x) && IsInt(x);

    /// <summary>PRM800K's <c>_str_to_int</c>: every comma dropped, <c>int(float(s))</c> (truncation); digit strings exactly.</summary>
    public static string StrToInt(string s)
    {
        var plain = s.Replace(",", "", StringComparison.Ordinal);
        if (ExactDigits(plain) is { } exact)
        {
            return exact;
        }
        TryParseFloat(plain, out var x);
        return new BigInteger(Math.Truncate(x)).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>PRM800K's <c>_strip_properly_formatted_commas</c>: <c>(\d),(\d\d\d)($|\D)</c> until nothing changes.</summary>
    public static string StripProperCommas(string s)
    {
        if (!s.Contains(','))
        {
            return s;
        }
        for (var guard = 0; guard < s.Length; guard++)
        {
            var next = ProperCommaRegex().Replace(s, "$1$3$4");
            if (next == s)
            {
                break;
            }
            s = next;
        }
        return s;
    }

    private static bool AllDigits(string t) => t.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0;

    // "-007" → "-7", "12.000" → "12": the integer a plain (signed) digit string denotes, or null for anything else.
    private static string? ExactDigits(string s)
    {
        var t = s.Trim();
        var point = t.IndexOf('.');
        if (point >= 0 && t.AsSpan(point + 1).TrimEnd('0').IsEmpty)
        {
            t = t[..point];
        }
        var sign = t.Length > 0 && t[0] is '-' or '+' ? t[0] : '\0';
        var digits = sign == '\0' ? t : t[1..];
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
        {
            return null;
        }
        digits = digits.TrimStart('0');
        return digits.Length == 0 ? "0" : (sign == '-' ? "-" : "") + digits;
    }

    [GeneratedRegex(@"^[+-]?(?:(?<inf>inf(?:inity)?)|(?<nan>nan))$", RegexOptions.IgnoreCase)]
    private static partial Regex SpecialRegex();

    [GeneratedRegex(@"^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$")]
    private static partial Regex FloatRegex();

    [GeneratedRegex(@"(\d)(,)(\d\d\d)($|\D)")]
    private static partial Regex ProperCommaRegex();
}
