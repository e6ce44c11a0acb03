using System.Text.RegularExpressions;
using MmUpt.Grading.Equivalence;
using MmUpt.Grading.Expressions;

namespace MmUpt.Grading.Robust;

/// <summary>
/// Reads a cleaned answer (<see cref="RobustLatex"/>) into an <see cref="AnswerValue"/>: top-level ",", ";", "and",
/// "or" make a list; <c>\{..\}</c>, ∪ and ± a set; brackets with a comma a tuple or interval; <c>\begin{pmatrix}</c>
/// a matrix; = ≠ &lt; ≤ &gt; ≥ ≈ a relation (a chain keeps its ends, "≈" after "=" is dropped, <c>a &lt; x &lt; b</c>
/// is the interval (a, b), <c>x ∈ S</c> is S); a lone capital letter an option; three or more letters that are not a
/// function name are words; anything else an expression (<see cref="ExpressionParser"/>). Bounded: recursion stops at
/// <see cref="MaxDepth"/>, lists at <see cref="MaxItems"/> items, expressions at <see cref="ExpressionLimits"/>.
/// </summary>
internal static partial class AnswerParser
{
    public const int MaxDepth = 16;
    public const int MaxItems = 64;

    public static AnswerValue Parse(string cleaned, ExpressionLimits limits) => List(cleaned, limits, 0);

    private static AnswerValue List(string s, ExpressionLimits limits, int depth)
    {
        if (depth <= MaxDepth && TopLevel.Split(s, ";", words: false) is { Count: > 1 } groups && groups.Any(g => g.Contains(',')))
        {
            // "p=5,q=2;p=7,q=2": groups of named values are tuples.
            return new ListValue([.. groups.Take(MaxItems).Select(g => Group(g, limits, depth + 1))], '\0', '\0');
        }
        var parts = TopLevel.Split(s, ",;", words: true);
        if (parts.Count == 1 || depth > MaxDepth || parts.Count > MaxItems)
        {
            return Element(s, limits, depth);
        }
        return new ListValue([.. parts.Select(p => Element(p, limits, depth + 1))], '\0', '\0');
    }

    private static AnswerValue Group(string s, ExpressionLimits limits, int depth)
    {
        var items = List(s, limits, depth);
        return items is ListValue { Open: '\0' } list && list.Items.All(i => i is RelationValue { NamedLeft: true })
            ? new ListValue([.. list.Items.Select(i => ((RelationValue)i).Right)], '(', ')')
            : items;
    }

    private static AnswerValue Element(string s, ExpressionLimits limits, int depth)
    {
        s = s.Trim();
        if (depth > MaxDepth)
        {
            return new TextValue(s);
        }
        if (TopLevel.Wrapped(s, '{', '}') && !s.StartsWith(@"\{", StringComparison.Ordinal))
        {
            return List(s[1..^1], limits, depth + 1);
        }
        if (s.StartsWith(@"\{", StringComparison.Ordinal) && s.EndsWith(@"\}", StringComparison.Ordinal))
        {
            return AsSet(List(s[2..^2], limits, depth + 1));
        }
        if (TopLevel.Split(s, "∪", words: false) is { Count: > 1 } union)
        {
            return new ListValue([.. union.Select(u => Element(u, limits, depth + 1))], '{', '}');
        }
        if (Relation(s, limits, depth) is { } relation)
        {
            return relation;
        }
        if (s.StartsWith('±'))
        {
            s = "0" + s;
        }
        if (TopLevel.Split(s, "±", words: false) is { Count: 2 } pm)
        {
            return new ListValue([Element($"{pm[0]}+{pm[1]}", limits, depth + 1), Element($"{pm[0]}-{pm[1]}", limits, depth + 1)], '{', '}');
        }
        if (MatrixRegex().Match(s) is { Success: true } matrix)
        {
            return Matrix(matrix.Groups["body"].Value, limits, depth);
        }
        if (s.Length >= 2 && s[0] is '(' or '[' && s[^1] is ')' or ']' && TopLevel.Closes(s))
        {
            var items = TopLevel.Split(s[1..^1], s.Contains(',') ? "," : ";", words: false);
            return items.Count > 1
                ? new ListValue([.. items.Select(i => Element(i, limits, depth + 1))], s[0], s[^1])
                : s[0] == '(' ? Element(s[1..^1], limits, depth + 1) : Scalar(s, limits);
        }
        if (LetterRegex().Match(s) is { Success: true } letter)
        {
            return new LetterValue(letter.Groups["l"].Value[0]);
        }
        return Scalar(s, limits);
    }

    private static ListValue AsSet(AnswerValue v) =>
        v is ListValue { Open: '\0' } list ? list with { Open = '{', Close = '}' } : new ListValue([v], '{', '}');

    private static AnswerValue? Relation(string s, ExpressionLimits limits, int depth)
    {
        var approx = s.IndexOf('≈');
        if (approx > 0 && s.IndexOf('=') is var eq && eq >= 0 && eq < approx)
        {
            s = s[..approx];
        }
        var (parts, ops) = TopLevel.SplitRelations(s.Replace('≈', '='));
        if (ops.Count == 0 || parts.Any(p => p.Length == 0))
        {
            return null;
        }
        if (ops.Contains('∈'))
        {
            return Element(parts[^1], limits, depth + 1);
        }
        if (ops.Count == 2 && ops.All(o => o is '<' or '≤') || ops.Count == 2 && ops.All(o => o is '>' or '≥'))
        {
            var up = ops[0] is '<' or '≤';
            var (lo, hi) = up ? (parts[0], parts[2]) : (parts[2], parts[0]);
            var (open, close) = up ? (ops[0], ops[1]) : (ops[1], ops[0]);
            return new ListValue([Element(lo, limits, depth + 1), Element(hi, limits, depth + 1)],
                open == '<' || open == '>' ? '(' : '[', close == '<' || close == '>' ? ')' : ']');
        }
        var op = ops.Contains('=') ? '=' : ops[0];
        var (left, right) = (parts[0], parts[^1]);
        var flip = op is '>' or '≥';
        var value = new RelationValue(Element(flip ? right : left, limits, depth + 1), flip ? (op == '>' ? '<' : '≤') : op,
            Element(flip ? left : right, limits, depth + 1), op == '=' && (IsName(left) || ops.Count(o => o == '=') >= 2));
        return value;
    }

    private static AnswerValue Matrix(string body, ExpressionLimits limits, int depth)
    {
        if (body.StartsWith('{') && body.IndexOf('}') is var spec && spec > 0)
        {
            body = body[(spec + 1)..];
        }
        var rows = body.Split(@"\\").Select(r => r.Trim()).Where(r => r.Length > 0)
            .Select(r => (IReadOnlyList<AnswerValue>)[.. r.Split('&').Select(c => Element(c, limits, depth + 1))]);
        return new MatrixValue([.. rows.Take(MaxItems)]);
    }

    private static AnswerValue Scalar(string s, ExpressionLimits limits)
    {
        var plain = LatexToText.Convert(s) ?? s;
        var compact = plain.Replace(" ", "", StringComparison.Ordinal);
        if (WordRegex().Matches(plain).Any(w => !MathFunctions.ByName.ContainsKey(w.Value.ToLowerInvariant()) && w.Value != "pi"))
        {
            return new TextValue(compact.ToLowerInvariant());
        }
        var expression = ExpressionParser.Parse(plain, limits);
        var text = IntegerRegex().IsMatch(compact) && compact.Length <= 1000
            ? System.Numerics.BigInteger.Parse(compact, System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture)
            : expression?.Root.ToString() ?? compact;
        return new ScalarValue(text, expression);
    }

    // A left side that only names a value: letters, subscripts, f(x), |AB|, (p,q), A:B, NO/BO; no digits or + - ^.
    private static bool IsName(string lhs)
    {
        var stripped = SubscriptRegex().Replace(lhs, "");
        return stripped.Any(char.IsLetter) && !stripped.Any(c => char.IsAsciiDigit(c) || c is '+' or '-' or '^' or '*');
    }

    [GeneratedRegex(@"^\[?\s*\\begin\{(?:pmatrix|bmatrix|matrix|array|smallmatrix)\}(?<body>.*)\\end\{(?:pmatrix|bmatrix|matrix|array|smallmatrix)\}\s*\]?$", RegexOptions.Singleline)]
    private static partial Regex MatrixRegex();

    [GeneratedRegex(@"^(?:\\text(?:bf)?\{)?\(?(?<l>[A-Z])\)?[.:)]?\}?$")]
    private static partial Regex LetterRegex();

    [GeneratedRegex(@"^[+-]?\d+$")]
    private static partial Regex IntegerRegex();

    [GeneratedRegex("[A-Za-z]{3,}")]
    private static partial Regex WordRegex();

    [GeneratedRegex(@"_\{[^}]*\}|_\w")]
    private static partial Regex SubscriptRegex();
}
