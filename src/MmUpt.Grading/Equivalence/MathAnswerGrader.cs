using MmUpt.Grading.Faithful;

namespace MmUpt.Grading.Equivalence;

/// <summary>
/// The grader of both modes. <see cref="GradingRules.MathRuler"/>: MathRuler's <c>grade_answer</c>
/// (<see cref="MathRulerRules"/>), letters and options not matched, as in the original. <see cref="GradingRules.Value"/>:
/// equal values (<see cref="ValueRules"/>), and with a <see cref="ChoiceSet"/> option letters match option texts.
/// Answers over <see cref="GraderOptions.MaxAnswerLength"/> are compared as trimmed strings only, so every call is bounded.
/// </summary>
public sealed class MathAnswerGrader(GraderOptions options) : IAnswerGrader
{
    public static MathAnswerGrader Faithful { get; } = new(GraderOptions.Faithful);

    public static MathAnswerGrader Robust { get; } = new(GraderOptions.Robust);

    public GraderOptions Options { get; } = options;

    public PreparedAnswer Prepare(string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var trimmed = answer.Trim();
        if (trimmed.Length > Options.MaxAnswerLength)
        {
            return new PreparedAnswer(trimmed, trimmed, trimmed, oversize: true);
        }
        return Options.Rules == GradingRules.MathRuler ? MathRulerRules.Prepare(answer, trimmed) : ValueRules.Prepare(trimmed, Options.Expressions);
    }

    public bool Equivalent(PreparedAnswer candidate, PreparedAnswer reference, ChoiceSet? choices = null)
    {
        if (candidate.Oversize || reference.Oversize)
        {
            return string.Equals(candidate.Raw, reference.Raw, StringComparison.Ordinal);
        }
        if (Options.Rules == GradingRules.MathRuler)
        {
            return MathRulerRules.Equivalent(candidate, reference);
        }
        if (choices is not null && choices.Resolve(candidate, this) is { } c && choices.Resolve(reference, this) is { } r)
        {
            return c == r;
        }
        return ValueRules.Equivalent(candidate, reference, Options.Expressions);
    }
}
