using MmUpt.Grading.Expressions;

namespace MmUpt.Grading.Robust;

/// <summary>
/// Whether two <see cref="AnswerValue"/>s mean the same. Expressions: same values at the sample points
/// (<see cref="ParsedExpression.SameValues"/>). Lists: tuples and intervals in order with the same brackets; sets and
/// bare lists order-free; a bare list against a tuple in order; a one-item list is its item. Relations: the same
/// relation when (lhs − rhs) of one is a constant multiple of the other's (positive for inequalities), so
/// <c>-x &gt; -1</c> = <c>x &lt; 1</c> and <c>2x+4y-3=0</c> = <c>y=-x/2+3/4</c>; a relation whose left side only names
/// a value (<c>x = 11</c>, <c>(p,q) = (3,2)</c>) also equals that value. Matrices cell by cell.
/// </summary>
internal static class ValueComparer
{
    public static bool Equal(AnswerValue a, AnswerValue b, ExpressionLimits limits) => (a, b) switch
    {
        (ScalarValue x, ScalarValue y) => x.Text == y.Text
            || (!(Integer(x) && Integer(y)) && x.Expression is { } p && y.Expression is { } q && ParsedExpression.SameValues(p, q, limits)),
        (TextValue x, TextValue y) => x.Text == y.Text,
        (TextValue x, ScalarValue y) => x.Text == y.Text.ToLowerInvariant(),
        (ScalarValue x, TextValue y) => x.Text.ToLowerInvariant() == y.Text,
        (LetterValue x, LetterValue y) => x.Letter == y.Letter,
        (LetterValue x, ScalarValue y) => y.Text == x.Letter.ToString(),
        (ScalarValue x, LetterValue y) => x.Text == y.Letter.ToString(),
        (RelationValue x, RelationValue y) => Relations(x, y, limits),
        (RelationValue { NamedLeft: true } x, _) => Equal(x.Right, b, limits),
        (_, RelationValue { NamedLeft: true } y) => Equal(a, y.Right, limits),
        (ListValue x, ListValue y) => Lists(x, y, limits),
        (ListValue { Items.Count: 1, Ordered: false } x, _) => Equal(x.Items[0], b, limits),
        (_, ListValue { Items.Count: 1, Ordered: false } y) => Equal(a, y.Items[0], limits),
        (MatrixValue x, MatrixValue y) => x.Rows.Count == y.Rows.Count
            && x.Rows.Zip(y.Rows).All(r => r.First.Count == r.Second.Count && r.First.Zip(r.Second).All(c => Equal(c.First, c.Second, limits))),
        _ => false,
    };

    // Two integers compare as digit strings: exact where doubles would merge 20-digit neighbours.
    private static bool Integer(ScalarValue v) => v.Text.Length > 0 && v.Text.TrimStart('-').All(char.IsAsciiDigit);

    private static bool Lists(ListValue x, ListValue y, ExpressionLimits limits)
    {
        if (x.Ordered || y.Ordered)
        {
            var sameBrackets = !(x.Ordered && y.Ordered) || (x.Open == y.Open && x.Close == y.Close);
            return sameBrackets && x.Open != '{' && y.Open != '{' && x.Items.Count == y.Items.Count
                && x.Items.Zip(y.Items).All(p => Equal(p.First, p.Second, limits));
        }
        // Order-free, duplicates ignored: every item has an equal on the other side.
        return x.Items.All(i => y.Items.Any(j => Equal(i, j, limits))) && y.Items.All(j => x.Items.Any(i => Equal(i, j, limits)));
    }

    private static bool Relations(RelationValue x, RelationValue y, ExpressionLimits limits)
    {
        if (x.Op != y.Op)
        {
            return false;
        }
        if (x.NamedLeft && y.NamedLeft && Equal(x.Right, y.Right, limits))
        {
            return true;
        }
        if (Equal(x.Left, y.Left, limits) && Equal(x.Right, y.Right, limits))
        {
            return true;
        }
        return x is { Left: ScalarValue { Expression: { } xl }, Right: ScalarValue { Expression: { } xr } }
            && y is { Left: ScalarValue { Expression: { } yl }, Right: ScalarValue { Expression: { } yr } }
            && ParsedExpression.Proportional(ParsedExpression.Difference(xl, xr), ParsedExpression.Difference(yl, yr),
                positive: x.Op is '<' or '≤', limits);
    }
}
