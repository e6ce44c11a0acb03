namespace MmUpt.Grading.Equivalence;

/// <summary>
/// The PRM800K / MathRuler <c>grade_answer</c> decision, in order:
/// (1) equal after the Hendrycks rewrite (<see cref="MathdNormalizer"/>); (2) equal after the PRM800K normalization
/// (<see cref="AnswerNormalizer"/>); (3) element by element over tuples/intervals with the same brackets and length:
/// two fractions compare as strings, an integer needs an integer (both per <see cref="GraderOptions"/>), otherwise the
/// values must agree at sample points (<see cref="Expressions.ParsedExpression.SameValues"/>, where the original calls
/// <c>sympy.simplify(a - b) == 0</c> with no time bound). Every step is bounded by <see cref="GraderOptions"/>.
/// </summary>
public sealed class MathAnswerGrader(GraderOptions options) : IAnswerGrader
{
    public static MathAnswerGrader Faithful { get; } = new(GraderOptions.Faithful);

    public static MathAnswerGrader Robust { get; } = new(GraderOptions.Robust);

    public GraderOptions Options { get; } = options;

    public PreparedAnswer Prepare(string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var raw = answer.Trim();
        if (raw.Length > Options.MaxAnswerLength)
        {
            return new PreparedAnswer(raw, raw, raw, oversize: true);
        }
        return new PreparedAnswer(raw, MathdNormalizer.Normalize(raw), AnswerNormalizer.Normalize(raw), oversize: false);
    }

    public bool Equivalent(PreparedAnswer candidate, PreparedAnswer reference, ChoiceSet? choices = null)
    {
        if (choices is not null)
        {
            var (c, r) = (choices.Resolve(candidate, this), choices.Resolve(reference, this));
            if (c is not null && r is not null)
            {
                return c == r;
            }
        }
        if (candidate.Oversize || reference.Oversize)
        {
            return string.Equals(candidate.Raw, reference.Raw, StringComparison.Ordinal);
        }
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
            if (!ElementEqual(candidate, reference, i))
            {
                return false;
            }
        }
        return true;
    }

    private bool ElementEqual(PreparedAnswer candidate, PreparedAnswer reference, int i)
    {
        var (given, truth) = (candidate.Elements[i], reference.Elements[i]);
        if (Options.RequireSameFraction && NumberForms.IsFraction(truth) && NumberForms.IsFraction(given))
        {
            return truth == given;
        }
        var (truthInt, givenInt) = (NumberForms.IsIntegerString(truth), NumberForms.IsIntegerString(given));
        if (truthInt && givenInt)
        {
            // Exact, where sympy is exact and doubles are not (20-digit integers).
            return NumberForms.CanonicalInteger(NumberForms.StripThousandsCommas(truth))
                == NumberForms.CanonicalInteger(NumberForms.StripThousandsCommas(given));
        }
        if (Options.StrictIntegers && truthInt != givenInt)
        {
            return false;
        }
        var (a, b) = (candidate.Expression(i, Options.Expressions), reference.Expression(i, Options.Expressions));
        return a is not null && b is not null && Expressions.ParsedExpression.SameValues(a, b, Options.Expressions);
    }
}
