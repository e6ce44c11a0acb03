namespace MmUpt.Grading.Expressions;

/// <summary>
/// One node of a parsed expression. <see cref="Value"/> holds a number's value; <see cref="Index"/> a variable's code
/// point or a function's <see cref="MathFunction"/>; <see cref="Left"/>/<see cref="Right"/> the operands.
/// </summary>
internal sealed class ExprNode(ExprKind kind, double value = 0, int index = 0, ExprNode? left = null, ExprNode? right = null)
{
    public ExprKind Kind { get; } = kind;

    public double Value { get; } = value;

    public int Index { get; } = index;

    public ExprNode? Left { get; } = left;

    public ExprNode? Right { get; } = right;

    /// <summary>The value at sample point <paramref name="point"/>; NaN or ±∞ where undefined or out of range (never throws).</summary>
    public double Evaluate(int point) => Kind switch
    {
        ExprKind.Number => Value,
        ExprKind.Variable => SamplePoints.Value(Index, point),
        ExprKind.Negate => -Left!.Evaluate(point),
        ExprKind.Add => Left!.Evaluate(point) + Right!.Evaluate(point),
        ExprKind.Subtract => Left!.Evaluate(point) - Right!.Evaluate(point),
        ExprKind.Multiply => Left!.Evaluate(point) * Right!.Evaluate(point),
        ExprKind.Divide => Left!.Evaluate(point) / Right!.Evaluate(point),
        ExprKind.Power => Math.Pow(Left!.Evaluate(point), Right!.Evaluate(point)),
        ExprKind.Function => MathFunctions.Apply((MathFunction)Index, Left!.Evaluate(point)),
        _ => double.NaN,
    };

    /// <summary>A canonical spelling with every operation parenthesized: equal trees print alike (10^10^10 = 10^{10^{10}}).</summary>
    public override string ToString() => Kind switch
    {
        ExprKind.Number => Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        ExprKind.Variable => $"v{Index}",
        ExprKind.Negate => $"(-{Left})",
        ExprKind.Function => $"{(MathFunction)Index}({Left})",
        _ => $"({Left}{Kind switch { ExprKind.Add => '+', ExprKind.Subtract => '-', ExprKind.Multiply => '*', ExprKind.Divide => '/', _ => '^' }}{Right})",
    };
}
