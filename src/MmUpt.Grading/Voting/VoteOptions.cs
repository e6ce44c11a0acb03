using MmUpt.Grading.Equivalence;
using MmUpt.Grading.Extraction;

namespace MmUpt.Grading.Voting;

/// <summary>
/// Everything that decides a vote. Start from <see cref="Faithful"/>, <see cref="Robust"/> or <see cref="Random"/> and
/// override with <c>with</c>. <see cref="MinAgreement"/>, <see cref="TieBreak"/> and <see cref="ParseChoices"/> act in
/// the robust mode only; the faithful and random modes always use MathRuler's extractor and grader.
/// </summary>
public sealed record VoteOptions
{
    public VoteMode Mode { get; init; }

    /// <summary>How final answers are found (faithful: MathRuler's <c>extract_boxed_content</c>).</summary>
    public ExtractionOptions Extraction { get; init; } = ExtractionOptions.Faithful;

    /// <summary>The equivalence rules (faithful: PRM800K's strict fractions and integers).</summary>
    public GraderOptions Grader { get; init; } = GraderOptions.Faithful;

    /// <summary>Robust: the winner among equally voted answers. Default <see cref="Voting.TieBreak.SmallestAnswer"/>.</summary>
    public TieBreak TieBreak { get; init; } = TieBreak.SmallestAnswer;

    /// <summary>
    /// Robust: the winner needs at least this share of the group's samples (abstentions count in the denominator); below
    /// it every reward is 0 (zero advantage). 0 disables. Robust default 0.2: with G = 10, two samples must agree.
    /// </summary>
    public double MinAgreement { get; init; }

    /// <summary>Vote on all N samples, train on the first M (TTRL's 64/32); 0 trains on all. Default 0.</summary>
    public int TrainCount { get; init; }

    /// <summary>Robust: read lettered options from the prompt and match letters with option texts. Default true in robust.</summary>
    public bool ParseChoices { get; init; }

    public static VoteOptions Faithful { get; } = new() { Mode = VoteMode.Faithful };

    public static VoteOptions Robust { get; } = new()
    {
        Mode = VoteMode.Robust,
        Extraction = ExtractionOptions.Robust,
        Grader = GraderOptions.Robust,
        MinAgreement = 0.2,
        ParseChoices = true,
    };

    /// <summary>The control arm: faithful extraction and grading, a random label (<see cref="RandomVoteAggregator"/>).</summary>
    public static VoteOptions Random { get; } = new() { Mode = VoteMode.Random };

    /// <summary>The default options of a mode.</summary>
    public static VoteOptions ForMode(VoteMode mode) => mode switch
    {
        VoteMode.Faithful => Faithful,
        VoteMode.Robust => Robust,
        VoteMode.Random => Random,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown vote mode"),
    };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (MinAgreement is < 0 or > 1 || double.IsNaN(MinAgreement))
        {
            throw new ArgumentException($"MinAgreement must be in [0, 1], got {MinAgreement}", nameof(MinAgreement));
        }
        if (TrainCount < 0)
        {
            throw new ArgumentException($"TrainCount must be >= 0, got {TrainCount}", nameof(TrainCount));
        }
    }
}
