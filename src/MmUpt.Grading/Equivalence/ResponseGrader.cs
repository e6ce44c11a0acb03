using MmUpt.Grading.Extraction;
using MmUpt.Grading.Voting;

namespace MmUpt.Grading.Equivalence;

/// <summary>
/// Grades two texts as a mode does. Robust: both sides go through the vote's extractor
/// (<see cref="AnswerExtractors.Create"/>, a whole response or a short answer alike), then the robust grader.
/// Faithful and random: the texts are answers already and go to MathRuler's <c>grade_answer</c> as they are (MathRuler's
/// extractor would turn an unboxed answer into "None").
/// </summary>
public sealed class ResponseGrader(VoteOptions options)
{
    private readonly IAnswerExtractor _extractor = AnswerExtractors.Create(options.Extraction);

    public IAnswerGrader Grader { get; } = new MathAnswerGrader(options.Grader);

    /// <summary>Whether <paramref name="candidate"/> answers as <paramref name="reference"/> does; false when either has no answer.</summary>
    public bool Equivalent(string candidate, string reference, ChoiceSet? choices = null)
    {
        if (options.Mode != VoteMode.Robust)
        {
            return Grader.Equivalent(candidate, reference, choices);
        }
        var (c, r) = (_extractor.Extract(candidate).Text, _extractor.Extract(reference).Text);
        return c is not null && r is not null && Grader.Equivalent(c, r, choices);
    }
}
