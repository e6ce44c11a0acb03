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
}
