using MmUpt.Grading.Expressions;

namespace MmUpt.Grading.Equivalence;

/// <summary>Robust equivalence: equal values.</summary>
internal static class ValueRules
{
    public static PreparedAnswer Prepare(string trimmed) =>
        new(trimmed, MathdNormalizer.Normalize(trimmed), AnswerNormalizer.Normalize(trimmed), oversize: false);

    public static bool Equivalent(PreparedAnswer candidate, PreparedAnswer reference, ExpressionLimits limits)
    {
        if (candidate.Mathd == reference.Mathd || candidate.Key == reference.Key)
        {
            return true;
        }
        if (candidate.Key.Length == 0)
        {
            return false;
        }
        var (given, truth) = (candidate.Elements, reference.Elements);
        if (truth.Length > 1 && (candidate.Key[0] != reference.Key[0] || candidate.Key[^1] != reference.Key[^1]))
        {
            return false;
        }
        if (truth.Length != given.Length)
        {
            return false;
        }
        for (var i = 0; i < truth.Length; i++)
        {
            var (a, b) = (candidate.Expression(i, limits), reference.Expression(i, limits));
            if (!(given[i] == truth[i] || (a is not null && b is not null && ParsedExpression.SameValues(a, b, limits))))
            {
                return false;
            }
        }
        return true;
    }
}
