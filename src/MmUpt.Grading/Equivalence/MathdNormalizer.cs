using System.Text;

namespace MmUpt.Grading.Equivalence;

/// <summary>
/// The first normalization of the PRM800K grader (Hendrycks MATH <c>normalize_answer</c>): a string rewrite, no parsing.
/// Drops <c>\text{}</c> wrappers, <c>\left</c>/<c>\right</c>, degrees, <c>\$</c>, <c>\%</c>, trailing <c>\text{ unit}</c>,
/// spaces and a short <c>x =</c> prefix; <c>\dfrac</c>/<c>\tfrac</c> → <c>\frac</c>; <c>\frac12</c> → <c>\frac{1}{2}</c>;
/// <c>\sqrt3</c> → <c>\sqrt{3}</c>; <c>0.5</c> → <c>\frac{1}{2}</c>; integer <c>a/b</c> → <c>\frac{a}{b}</c>. Linear time.
/// </summary>
internal static class MathdNormalizer
{
    public static string Normalize(string answer)
    {
        var s = TextWrapper.Unwrap(answer.Trim());
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
            s = s[..unit];
        }
        s = s.Replace(@"\%", "", StringComparison.Ordinal)
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
        s = BraceArgument(s, @"\sqrt", 1);
        s = s.Replace(" ", "", StringComparison.Ordinal);
        s = BraceArgument(s, @"\frac", 2);
        if (s == "0.5")
        {
            return @"\frac{1}{2}";
        }
        return SlashToFrac(s);
    }

    // "\sqrt3" → "\sqrt{3}", "\frac12" → "\frac{1}{2}", "\frac1{2}" → "\frac{1}{2}": single-character arguments get braces.
    private static string BraceArgument(string s, string command, int arguments)
    {
        if (!s.Contains(command, StringComparison.Ordinal))
        {
            return s;
        }
        var sb = new StringBuilder(s.Length + 8);
        var i = 0;
        while (i < s.Length)
        {
            var at = s.IndexOf(command, i, StringComparison.Ordinal);
            if (at < 0)
            {
                sb.Append(s, i, s.Length - i);
                break;
            }
            sb.Append(s, i, at + command.Length - i);
            i = at + command.Length;
            for (var a = 0; a < arguments && i < s.Length && s[i] != '{' && s[i] != '\\'; a++)
            {
                sb.Append('{').Append(s[i]).Append('}');
                i++;
            }
        }
        return sb.ToString();
    }

    // "3/4" → "\frac{3}{4}" when both sides are plain integers.
    private static string SlashToFrac(string s)
    {
        var slash = s.IndexOf('/');
        if (slash <= 0 || slash != s.LastIndexOf('/'))
        {
            return s;
        }
        var a = s.AsSpan(0, slash);
        var b = s.AsSpan(slash + 1);
        var aInt = NumberForms.IsDigits(a.StartsWith("-") ? a[1..] : a);
        return aInt && NumberForms.IsDigits(b) ? $@"\frac{{{a}}}{{{b}}}" : s;
    }
}
