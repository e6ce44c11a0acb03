using MmUpt.Grading.Expressions;
using MmUpt.Grading.Robust;

namespace MmUpt.Grading.Equivalence;

/// <summary>
/// Robust equivalence: the answer is cleaned (<see cref="RobustLatex"/>), parsed once into an <see cref="AnswerValue"/>
/// (<see cref="AnswerParser"/>) and compared by value (<see cref="ValueComparer"/>). Equal keys are equivalent.
/// </summary>
internal static class ValueRules
{
    /// <summary>The key of a single number or expression is its canonical value spelling ("7.0" → "7"), else the cleaned text.</summary>
    public static PreparedAnswer Prepare(string trimmed, ExpressionLimits limits)
    {
        var cleaned = RobustLatex.Clean(trimmed);
        var structure = AnswerParser.Parse(cleaned, limits);
        var key = structure is ScalarValue scalar ? scalar.Text : cleaned.Replace(" ", "", StringComparison.Ordinal);
        return new PreparedAnswer(trimmed, cleaned, key, oversize: false) { Structure = structure };
    }

    public static bool Equivalent(PreparedAnswer candidate, PreparedAnswer reference, ExpressionLimits limits)
    {
        if (candidate.Key == reference.Key)
        {
            return true;
        }
        if (candidate.Key.Length == 0 || reference.Key.Length == 0)
        {
            return false;
        }
        return ValueComparer.Equal(Value(candidate, limits), Value(reference, limits), limits);
    }

    private static AnswerValue Value(PreparedAnswer answer, ExpressionLimits limits) =>
        answer.Structure ??= AnswerParser.Parse(answer.Mathd, limits);
}
