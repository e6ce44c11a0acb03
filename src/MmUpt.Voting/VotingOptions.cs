using System.ComponentModel.DataAnnotations;
using MmUpt.Grading.Voting;

namespace MmUpt.Voting;

/// <summary>The voting service. Section <c>Voting</c>; flag <c>--mode</c>.</summary>
public sealed class VotingOptions : IValidatableObject
{
    public const string Section = "Voting";

    /// <summary><c>faithful</c> (default: the original MM-UPT vote) or <c>robust</c> (equivalence clusters, abstentions).</summary>
    [RegularExpression("^(faithful|robust)$", ErrorMessage = "Mode must be 'faithful' or 'robust'")]
    public string Mode { get; set; } = "faithful";

    /// <summary>Incomplete groups held at once; a sample opening one more gets RESOURCE_EXHAUSTED. Default 4096.</summary>
    [Range(1, 1_000_000)]
    public int MaxPendingGroups { get; set; } = 4096;

    /// <summary>Scored groups held (waiting, delivered or unacknowledged); beyond it new groups get RESOURCE_EXHAUSTED. Default 4096.</summary>
    [Range(1, 1_000_000)]
    public int MaxReadyGroups { get; set; } = 4096;

    /// <summary>An incomplete group is dropped (and reported) this long after its first sample; default 10 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan GroupTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Largest group_size accepted. Default 1024.</summary>
    [Range(1, 65_536)]
    public int MaxGroupSize { get; set; } = 1024;

    /// <summary>Longest response_text accepted, in characters. Default 1,000,000.</summary>
    [Range(1, 100_000_000)]
    public int MaxResponseChars { get; set; } = 1_000_000;

    /// <summary>Vote on all G samples, train on the first M (TTRL); 0 trains on all. Default 0.</summary>
    [Range(0, 65_536)]
    public int TrainCount { get; set; }

    /// <summary>Robust only: minimum share of the group behind the winner, else zero advantage. Default (unset) 0.2.</summary>
    [Range(0.0, 1.0)]
    public double? MinAgreement { get; set; }

    /// <summary>Robust only: <c>smallest</c> (default), <c>first-seen</c> or <c>none</c> (a tie has no winner).</summary>
    [RegularExpression("^(smallest|first-seen|none)$", ErrorMessage = "TieBreak must be 'smallest', 'first-seen' or 'none'")]
    public string? TieBreak { get; set; }

    /// <summary>Robust only: without a box, read "the answer is ..." and then the last number. Default false.</summary>
    public bool ExtractionFallbacks { get; set; }

    /// <summary>Robust only: read lettered options from the prompt and match letters with option texts. Default (unset) true.</summary>
    public bool? ParseChoices { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Mode == "faithful")
        {
            foreach (var (set, name) in new[]
                     {
                         (MinAgreement is not null, nameof(MinAgreement)), (TieBreak is not null, nameof(TieBreak)),
                         (ExtractionFallbacks, nameof(ExtractionFallbacks)), (ParseChoices is not null, nameof(ParseChoices)),
                     })
            {
                if (set)
                {
                    yield return new ValidationResult($"{name} applies to the robust mode only (Mode is 'faithful')", [name]);
                }
            }
        }
    }

    /// <summary>The vote these settings describe.</summary>
    public VoteOptions ToVoteOptions()
    {
        var mode = VoteOptions.ForMode(Mode);
        if (mode.Mode == VoteMode.Faithful)
        {
            return mode with { TrainCount = TrainCount };
        }
        return mode with
        {
            TrainCount = TrainCount,
            MinAgreement = MinAgreement ?? mode.MinAgreement,
            ParseChoices = ParseChoices ?? mode.ParseChoices,
            TieBreak = TieBreak switch
            {
                "first-seen" => Grading.Voting.TieBreak.FirstSeen,
                "none" => Grading.Voting.TieBreak.NoWinner,
                _ => Grading.Voting.TieBreak.SmallestAnswer,
            },
            Extraction = ExtractionFallbacks
                ? mode.Extraction with { AnswerPhraseFallback = true, LastNumberFallback = true }
                : mode.Extraction,
        };
    }
}
