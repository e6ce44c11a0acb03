using MmUpt.Grading.Equivalence;

namespace MmUpt.Grading.Voting;

/// <summary>
/// One group to vote: the G response texts in sample order, the reference answer when the prompt is labelled
/// (evaluation only: it never changes a reward), and the options when the question is multiple choice.
/// </summary>
public sealed record VoteInput(IReadOnlyList<string> Responses, string? Reference = null, ChoiceSet? Choices = null);
