using System.ComponentModel.DataAnnotations;
using MmUpt.Grading.Expressions;

namespace MmUpt.Grading.Equivalence;

/// <summary>
/// The equivalence rules. <see cref="Faithful"/> reproduces MathRuler's verdicts (strict fractions and integers, no
/// sympy past its gate); <see cref="Robust"/> compares values.
/// </summary>
public sealed record GraderOptions
{
    /// <summary>Which equivalence applies. Default <see cref="GradingRules.MathRuler"/>.</summary>
    public GradingRules Rules { get; init; } = GradingRules.MathRuler;

    /// <summary>Answers longer than this (characters) are compared only as trimmed strings: bounds every step. Default 1000.</summary>
    [Range(1, 1_000_000)]
    public int MaxAnswerLength { get; init; } = 1000;

    /// <summary>Bounds of the robust expression evaluator.</summary>
    public ExpressionLimits Expressions { get; init; } = new();

    public static GraderOptions Faithful { get; } = new();

    /// <summary>Robust: value equivalence; up to 8 variables, so equations in x, y, z compare.</summary>
    public static GraderOptions Robust { get; } = new() { Rules = GradingRules.Value, Expressions = new() { MaxVariables = 8 } };
}
