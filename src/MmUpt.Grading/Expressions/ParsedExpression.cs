namespace MmUpt.Grading.Expressions;

/// <summary>A parsed expression and the code points of its variables.</summary>
internal sealed class ParsedExpression(ExprNode root, int[] variables)
{
    public ExprNode Root { get; } = root;

    public int[] Variables { get; } = variables;

    /// <summary>
    /// Whether <paramref name="a"/> and <paramref name="b"/> take the same value at every sample point where both are
    /// defined, with at least one such point; a point where only one is defined means "different". At most
    /// <see cref="ExpressionLimits.MaxVariables"/> distinct variables together, else not comparable (false).
    /// </summary>
    public static bool SameValues(ParsedExpression a, ParsedExpression b, ExpressionLimits limits)
    {
        var variables = a.Variables.Length + b.Variables.Length == 0 ? 0 : a.Variables.Union(b.Variables).Count();
        if (variables > limits.MaxVariables)
        {
            return false;
        }
        var points = variables == 0 ? 1 : limits.Points;
        var compared = 0;
        for (var k = 0; k < points; k++)
        {
            var x = a.Root.Evaluate(k);
            var y = b.Root.Evaluate(k);
            var xFinite = double.IsFinite(x);
            if (xFinite != double.IsFinite(y))
            {
                return false;
            }
            if (!xFinite)
            {
                continue;
            }
            if (Math.Abs(x - y) > limits.RelativeTolerance * Math.Max(1.0, Math.Max(Math.Abs(x), Math.Abs(y))))
            {
                return false;
            }
            compared++;
        }
        return compared > 0;
    }

    /// <summary><paramref name="a"/> − <paramref name="b"/>, for comparing relations.</summary>
    public static ParsedExpression Difference(ParsedExpression a, ParsedExpression b) =>
        new(new ExprNode(ExprKind.Subtract, left: a.Root, right: b.Root), [.. a.Variables.Union(b.Variables)]);

    /// <summary>
    /// Whether <paramref name="a"/> = c·<paramref name="b"/> at every sample point for one constant c ≠ 0 (c &gt; 0 when
    /// <paramref name="positive"/>): the test for "the same equation or inequality". Needs two points where both are defined.
    /// </summary>
    public static bool Proportional(ParsedExpression a, ParsedExpression b, bool positive, ExpressionLimits limits)
    {
        if (a.Variables.Union(b.Variables).Count() > limits.MaxVariables)
        {
            return false;
        }
        double? ratio = null;
        var compared = 0;
        for (var k = 0; k < limits.Points; k++)
        {
            var (x, y) = (a.Root.Evaluate(k), b.Root.Evaluate(k));
            if (!double.IsFinite(x) || !double.IsFinite(y))
            {
                continue;
            }
            var scale = Math.Max(1.0, Math.Max(Math.Abs(x), Math.Abs(y)));
            if (Math.Abs(y) <= limits.RelativeTolerance * scale)
            {
                if (Math.Abs(x) > limits.RelativeTolerance * scale)
                {
                    return false;
                }
            }
            else
            {
                var r = x / y;
                ratio ??= r;
                if (ratio == 0 || Math.Abs(r - ratio.Value) > 1e-7 * Math.Max(1.0, Math.Abs(ratio.Value)) || (positive && ratio < 0))
                {
                    return false;
                }
            }
            compared++;
        }
        return compared >= 2;
    }
}
