namespace MmUpt.Evaluation;

/// <summary>The outcome of <see cref="MajorityVote.Vote"/>: the winning answer (null if all abstained) and its support.</summary>
public sealed record VoteOutcome(string? Answer, int Votes, int Clusters, int Abstained);
