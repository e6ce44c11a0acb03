using System.Collections.Frozen;

namespace MmUpt.Grading.Expressions;

/// <summary>Names and meanings of <see cref="MathFunction"/>. <c>log</c> and <c>ln</c> are both natural (as sympy).</summary>
internal static class MathFunctions
{
    public static FrozenDictionary<string, MathFunction> ByName { get; } = new Dictionary<string, MathFunction>
    {
        ["sqrt"] = MathFunction.Sqrt, ["sin"] = MathFunction.Sin, ["cos"] = MathFunction.Cos, ["tan"] = MathFunction.Tan,
        ["cot"] = MathFunction.Cot, ["sec"] = MathFunction.Sec, ["csc"] = MathFunction.Csc,
        ["arcsin"] = MathFunction.Arcsin, ["arccos"] = MathFunction.Arccos, ["arctan"] = MathFunction.Arctan,
        ["log"] = MathFunction.Log, ["ln"] = MathFunction.Log, ["exp"] = MathFunction.Exp, ["abs"] = MathFunction.Abs,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static double Apply(MathFunction f, double x) => f switch
    {
        MathFunction.Sqrt => Math.Sqrt(x),
        MathFunction.Sin => Math.Sin(x),
        MathFunction.Cos => Math.Cos(x),
        MathFunction.Tan => Math.Tan(x),
        MathFunction.Cot => 1 / Math.Tan(x),
        MathFunction.Sec => 1 / Math.Cos(x),
        MathFunction.Csc => 1 / Math.Sin(x),
        MathFunction.Arcsin => Math.Asin(x),
        MathFunction.Arccos => Math.Acos(x),
        MathFunction.Arctan => Math.Atan(x),
        MathFunction.Log => Math.Log(x),
        MathFunction.Exp => Math.Exp(x),
        MathFunction.Abs => Math.Abs(x),
        _ => double.NaN,
    };
}
