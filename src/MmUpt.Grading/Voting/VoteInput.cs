using MmUpt.Grading.Equivalence;

namespace MmUpt.Grading.Voting;

/// <summary>
/// One group to vote: the G response texts in sample order, the reference answer when the prompt is labelled
/// (evaluation only: it never changes a reward), the options when the question is multiple choice, and the group id
/// (only the random mode reads it: it seeds the draw, so a replayed group gets the same label).
/// </summary>
public sealed record VoteInput(IReadOnlyList<string> Responses, string? Reference = null, ChoiceSet? Choices = null, string? GroupId = null);
