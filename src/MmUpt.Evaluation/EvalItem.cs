namespace MmUpt.Evaluation;

/// <summary>
/// The K sampled responses of one problem, in sample order, with its reference and prompt. They are voted exactly as the
/// voting service votes a group (<see cref="Grading.Voting.GroupVoter"/>): answers are extracted by the vote options.
/// </summary>
/// <param name="Id">The dataset id.</param>
/// <param name="Reference">The reference answer; null = unlabelled, not scored.</param>
/// <param name="Responses">The K response texts in sample order.</param>
/// <param name="Group">Optional breakdown key (e.g. <c>count/2</c>); the report gives one row per group.</param>
/// <param name="PromptText">The rendered prompt, for lettered options in the robust mode; null = none.</param>
public sealed record EvalItem(string Id, string? Reference, IReadOnlyList<string> Responses, string? Group = null, string? PromptText = null);
