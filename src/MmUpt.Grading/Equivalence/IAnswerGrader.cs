namespace MmUpt.Grading.Equivalence;

/// <summary>Decides whether two final answers mean the same. Answers are prepared once and compared many times.</summary>
public interface IAnswerGrader
{
    /// <summary>Normalizes an answer once; <see cref="PreparedAnswer.Key"/> is its canonical form.</summary>
    PreparedAnswer Prepare(string answer);

    /// <summary>
    /// Whether <paramref name="candidate"/> is a correct spelling of <paramref name="reference"/> (asymmetric, as
    /// PRM800K's <c>grade_answer(given, ground_truth)</c>). With <paramref name="choices"/>, option letters and option
    /// texts are matched too.
    /// </summary>
    bool Equivalent(PreparedAnswer candidate, PreparedAnswer reference, ChoiceSet? choices = null);
}
