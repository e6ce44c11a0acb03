namespace MmUpt.Grading.Equivalence;

public static class AnswerGraderExtensions
{
    /// <summary>Grades raw strings (prepares both).</summary>
    public static bool Equivalent(this IAnswerGrader grader, string candidate, string reference, ChoiceSet? choices = null) =>
        grader.Equivalent(grader.Prepare(candidate), grader.Prepare(reference), choices);

    /// <summary>Equivalent in either direction: the relation used to cluster answers, where neither is the reference.</summary>
    public static bool EquivalentEitherWay(this IAnswerGrader grader, PreparedAnswer a, PreparedAnswer b, ChoiceSet? choices = null) =>
        grader.Equivalent(a, b, choices) || grader.Equivalent(b, a, choices);
}
