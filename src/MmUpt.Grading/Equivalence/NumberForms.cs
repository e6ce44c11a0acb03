using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.RegularExpressions;

namespace MmUpt.Grading.Equivalence;

/// <summary>Number tests of the PRM800K grader: float, integer-valued, <c>a/b</c>, thousands separators.</summary>
internal static partial class NumberForms
{
    public static bool TryParseFloat(string s, out double value) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    public static bool IsIntegerValued(double x) => double.IsFinite(x) && Math.Abs(x - Math.Round(x)) <= 1e-7;

    /// <summary><c>-?[0-9]+.?/0*[1-9][0-9]*.?</c>: PRM800K's "written as a fraction" test (unreduced fractions stay distinct).</summary>
    public static bool IsFraction(string s) => s.Length <= 64 && FractionRegex().IsMatch(s);

    /// <summary>Whether <paramref name="s"/>, thousands separators removed, is an integer-valued number.</summary>
    public static bool IsIntegerString(string s) =>
        TryParseFloat(StripThousandsCommas(s), out var x) && IsIntegerValued(x);

    /// <summary>The integer an integer-valued number string denotes, in plain digits (commas dropped, "5.0" → "5").</summary>
    public static string CanonicalInteger(string s)
    {
        var plain = s.Replace(",", "", StringComparison.Ordinal);
        var negative = plain.StartsWith('-');
        var body = plain.AsSpan(negative || plain.StartsWith('+') ? 1 : 0);
        var point = body.IndexOf('.');
        if (point >= 0 && body[(point + 1)..].TrimEnd('0').IsEmpty)
        {
            body = body[..point];
        }
        if (IsDigits(body))
        {
            // Exact for any length; a double round trip would merge distinct 20-digit integers.
            var digits = body.TrimStart('0');
            return digits.IsEmpty ? "0" : (negative ? "-" : "") + digits.ToString();
        }
        TryParseFloat(plain, out var x);
        return new BigInteger(Math.Round(x)).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Drops a comma between a digit and exactly three digits that end the number: "1,234,567" → "1234567", "(1,2)" kept.</summary>
    public static string StripThousandsCommas(string s)
    {
        if (!s.Contains(','))
        {
            return s;
        }
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == ',' && i > 0 && char.IsAsciiDigit(s[i - 1]) && ThreeDigitsThenEnd(s, i + 1))
            {
                continue;
            }
            sb.Append(s[i]);
        }
        return sb.ToString();
    }

    public static bool IsDigits(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty)
        {
            return false;
        }
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        return true;
    }

    private static bool ThreeDigitsThenEnd(string s, int at) =>
        at + 3 <= s.Length
        && char.IsAsciiDigit(s[at]) && char.IsAsciiDigit(s[at + 1]) && char.IsAsciiDigit(s[at + 2])
        && (at + 3 == s.Length || !char.IsAsciiDigit(s[at + 3]));

    [GeneratedRegex(@"^-?[0-9]+.?/0*[1-9][0-9]*.?$")]
    private static partial Regex FractionRegex();
}
