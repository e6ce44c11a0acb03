namespace MmUpt.Grading.Equivalence;

/// <summary>Which equivalence <see cref="MathAnswerGrader"/> applies.</summary>
public enum GradingRules
{
    /// <summary>MathRuler's <c>grade_answer</c>, the reward grader of the original MM-UPT (faithful mode).</summary>
    MathRuler,

    /// <summary>Equal values, whatever the spelling (robust mode).</summary>
    Value,
}
