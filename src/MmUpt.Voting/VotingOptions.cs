using System.ComponentModel.DataAnnotations;
using MmUpt.Grading.Voting;

namespace MmUpt.Voting;

/// <summary>The voting service. Section <c>Voting</c>; flags <c>--mode</c>, <c>--data</c>.</summary>
public sealed class VotingOptions : IValidatableObject
{
    public const string Section = "Voting";

    /// <summary>
    /// <c>faithful</c> (default: the original MM-UPT vote), <c>robust</c> (equivalence clusters, abstentions) or
    /// <c>random</c> (the control arm: the label is a random sample's answer, seeded by the group id).
    /// </summary>
    public string Mode { get; set; } = "faithful";

    /// <summary>
    /// Folder of the service's durable log (<c>voting.log</c>): scored groups are flushed there before they are confirmed,
    /// and a restart on the same folder offers every unacknowledged one again. Default unset: nothing is persisted, and
    /// groups held when the process dies are lost (tests and demos only).
    /// </summary>
    public string? DataFolder { get; set; }

    /// <summary>The log is compacted (acknowledged groups dropped) when it grows past this many bytes. Default 256 MiB.</summary>
    [Range(1L << 16, 1L << 40)]
    public long LogCompactBytes { get; set; } = 256L << 20;

    /// <summary>Incomplete groups held at once; a sample opening one more gets RESOURCE_EXHAUSTED. Default 4096.</summary>
    [Range(1, 1_000_000)]
    public int MaxPendingGroups { get; set; } = 4096;

    /// <summary>Serialized bytes of the samples of incomplete groups; a sample beyond it gets RESOURCE_EXHAUSTED. Default 1 GiB.</summary>
    [Range(1L << 10, 1L << 40)]
    public long MaxPendingBytes { get; set; } = 1L << 30;

    /// <summary>Scored groups held (ready or leased); beyond it new groups get RESOURCE_EXHAUSTED. Default 4096.</summary>
    [Range(1, 1_000_000)]
    public int MaxReadyGroups { get; set; } = 4096;

    /// <summary>Serialized bytes of the scored groups held; beyond it new groups get RESOURCE_EXHAUSTED. Default 1 GiB.</summary>
    [Range(1L << 10, 1L << 40)]
    public long MaxHeldBytes { get; set; } = 1L << 30;

    /// <summary>An incomplete group is dropped (and reported) this long after its first sample; default 10 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan GroupTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a delivered group stays leased when the subscriber does not ask for another deadline; default 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan AckDeadline { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// After this long without a sample or an acknowledgement (following some), the process gives its free memory back
    /// to the OS (one compacting GC); 0 never. Default 10 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan IdleTrimAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Open Subscribe streams at once; one more gets RESOURCE_EXHAUSTED. Default 64.</summary>
    [Range(1, 10_000)]
    public int MaxSubscribers { get; set; } = 64;

    /// <summary>Largest group_size accepted. Default 1024.</summary>
    [Range(1, 65_536)]
    public int MaxGroupSize { get; set; } = 1024;

    /// <summary>Largest serialized sample (prompt, images and response included), in bytes. Default 16 MiB.</summary>
    [Range(1L << 10, 1L << 31)]
    public long MaxSampleBytes { get; set; } = 16L << 20;

    /// <summary>Longest response_text accepted, in UTF-8 bytes. Default 1,000,000.</summary>
    [Range(1, 100_000_000)]
    public int MaxResponseBytes { get; set; } = 1_000_000;

    /// <summary>Longest prompt text or reference answer accepted, in UTF-8 bytes. Default 4 MiB.</summary>
    [Range(1, 100_000_000)]
    public int MaxPromptBytes { get; set; } = 4 << 20;

    /// <summary>Most prompt or response token ids per sample. Default 1,000,000.</summary>
    [Range(1, 100_000_000)]
    public int MaxTokens { get; set; } = 1_000_000;

    /// <summary>Vocabulary size: token ids must be in [0, VocabSize). Default unset: ids need only be non-negative.</summary>
    [Range(1, int.MaxValue)]
    public int? VocabSize { get; set; }

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
        if (!VoteModeNames.TryParse(Mode, out var mode))
        {
            yield return new ValidationResult($"Mode must be {VoteModeNames.Choices}, got '{Mode}'", [nameof(Mode)]);
            yield break;
        }
        if (mode != VoteMode.Robust)
        {
            foreach (var (set, name) in new[]
                     {
                         (MinAgreement is not null, nameof(MinAgreement)), (TieBreak is not null, nameof(TieBreak)),
                         (ExtractionFallbacks, nameof(ExtractionFallbacks)), (ParseChoices is not null, nameof(ParseChoices)),
                     })
            {
                if (set)
                {
                    yield return new ValidationResult($"{name} applies to the robust mode only (Mode is '{Mode}')", [name]);
                }
            }
        }
    }

    /// <summary>The vote these settings describe (what the service scores with and what <c>mmupt eval</c> votes with).</summary>
    public VoteOptions ToVoteOptions()
    {
        var mode = VoteOptions.ForMode(VoteModeNames.Parse(Mode));
        if (mode.Mode != VoteMode.Robust)
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
