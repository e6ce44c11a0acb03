namespace MmUpt.Evaluation;

/// <summary>
/// The K extracted answers of one problem, in sample order, and its reference. A null or blank answer means nothing was
/// extracted (no <c>\boxed{}</c>): it is wrong for pass@k and abstains in the majority vote.
/// </summary>
/// <param name="Id">The dataset id.</param>
/// <param name="Reference">The reference answer; null = unlabelled, not scored.</param>
/// <param name="Answers">The K extracted answers in sample order.</param>
/// <param name="Group">Optional breakdown key (e.g. <c>count/2</c>); the report gives one row per group.</param>
public sealed record EvalItem(string Id, string? Reference, IReadOnlyList<string?> Answers, string? Group = null);
