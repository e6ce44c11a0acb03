using System.ComponentModel.DataAnnotations;
using MmUpt.Grading.Expressions;

namespace MmUpt.Grading.Equivalence;

/// <summary>
/// The equivalence rules. <see cref="Faithful"/> keeps PRM800K/MathRuler's strict forms (an unreduced fraction never
/// equals its reduced form; an integer answer needs an integer); <see cref="Robust"/> compares their values.
/// </summary>
public sealed record GraderOptions
{
    /// <summary>Two <c>a/b</c> answers are equal only as strings ("2/4" ≠ "1/2"), as PRM800K. Default true.</summary>
    public bool RequireSameFraction { get; init; } = true;

    /// <summary>An integer never equals a non-integer spelling ("2" ≠ "4/2", "1500" ≠ "1.5*10^3"), as PRM800K. Default true.</summary>
    public bool StrictIntegers { get; init; } = true;

    /// <summary>Answers longer than this (characters) are compared only as trimmed strings: bounds every step. Default 1000.</summary>
    [Range(1, 1_000_000)]
    public int MaxAnswerLength { get; init; } = 1000;

    /// <summary>Bounds of the expression evaluator.</summary>
    public ExpressionLimits Expressions { get; init; } = new();

    public static GraderOptions Faithful { get; } = new();

    public static GraderOptions Robust { get; } = new() { RequireSameFraction = false, StrictIntegers = false };
}
