using System.ComponentModel.DataAnnotations;

namespace MmUpt.Grading.Expressions;

/// <summary>
/// Hard bounds of the expression comparison: they make its cost O(<see cref="MaxTokens"/> × <see cref="Points"/>) for
/// any input. Evaluation is in doubles, so <c>10^10^10</c> is +∞ (incomparable), never a huge number.
/// </summary>
public sealed record ExpressionLimits
{
    /// <summary>Longest expression text read; longer ones are not compared as expressions. Default 256.</summary>
    [Range(1, 100_000)]
    public int MaxLength { get; init; } = 256;

    /// <summary>Most tokens in one expression. Default 128.</summary>
    [Range(1, 100_000)]
    public int MaxTokens { get; init; } = 128;

    /// <summary>Deepest nesting of parentheses, unary signs and exponents. Default 32.</summary>
    [Range(1, 1000)]
    public int MaxDepth { get; init; } = 32;

    /// <summary>Most distinct variables in the two expressions together (PRM800K refuses more than 2 letters). Default 2.</summary>
    [Range(0, 26)]
    public int MaxVariables { get; init; } = 2;

    /// <summary>Sample points at which expressions with variables are compared. Default 6.</summary>
    [Range(1, 100)]
    public int Points { get; init; } = 6;

    /// <summary>Relative tolerance of a value comparison; 1e-9 keeps 0.333 ≠ 1/3. Default 1e-9.</summary>
    [Range(0.0, 1.0)]
    public double RelativeTolerance { get; init; } = 1e-9;
}
