namespace MmUpt.Grading.Voting;

/// <summary>
/// The vote of one group and its metrics. <see cref="MajorityAnswer"/> is null when nothing won (robust: all abstained,
/// a tie under <see cref="TieBreak.NoWinner"/>, or agreement below the minimum); in the faithful mode it may be "None".
/// Reference metrics are null when no reference answer was given.
/// </summary>
public sealed record GroupVote
{
    public required VoteMode Mode { get; init; }

    public required IReadOnlyList<SampleVote> Samples { get; init; }

    public string? MajorityAnswer { get; init; }

    /// <summary>Canonical key of the majority answer: what the step's top-answer share counts.</summary>
    public string? MajorityKey { get; init; }

    /// <summary>Votes for the winner (faithful: identical strings; robust: cluster members).</summary>
    public int MajorityVotes { get; init; }

    /// <summary><see cref="MajorityVotes"/> / G (0 when nothing won).</summary>
    public double MajorityRatio { get; init; }

    /// <summary>Entropy in nats over the vote buckets; robust counts all abstentions as one bucket.</summary>
    public double AnswerEntropy { get; init; }

    /// <summary>Share of samples with no extracted answer.</summary>
    public double AbstainRate { get; init; }

    /// <summary>Every sample's reward is 1: no learning signal.</summary>
    public bool Unanimous { get; init; }

    /// <summary>Robust: the winner had less than the minimum agreement, so every reward is 0.</summary>
    public bool BelowMinAgreement { get; init; }

    /// <summary>Number of vote buckets (distinct answers or clusters; abstentions excluded in robust mode).</summary>
    public int Clusters { get; init; }

    public bool? MajorityCorrect { get; init; }

    /// <summary>Samples whose answer is equivalent to the reference (abstentions are wrong); null without a reference.</summary>
    public int? CorrectSamples { get; init; }

    /// <summary><see cref="CorrectSamples"/> / G; null without a reference.</summary>
    public double? SampleAccuracy => CorrectSamples is { } c ? Samples.Count == 0 ? 0 : (double)c / Samples.Count : null;
}
