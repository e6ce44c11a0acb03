using System.ComponentModel.DataAnnotations;

namespace MmUpt.Voting;

/// <summary>The voting service. Section <c>Voting</c>; flag <c>--mode</c>.</summary>
public sealed class VotingOptions
{
    public const string Section = "Voting";

    /// <summary><c>faithful</c> (default: the original MM-UPT vote) or <c>robust</c> (equivalence clusters, abstentions).</summary>
    [RegularExpression("^(faithful|robust)$", ErrorMessage = "Mode must be 'faithful' or 'robust'")]
    public string Mode { get; set; } = "faithful";

    /// <summary>Groups with some samples held at once; beyond it Submit answers RESOURCE_EXHAUSTED. Default 4096.</summary>
    [Range(1, 1_000_000)]
    public int MaxPendingGroups { get; set; } = 4096;

    /// <summary>An incomplete group is dropped (and reported) this long after its first sample; default 10 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan GroupTimeout { get; set; } = TimeSpan.FromMinutes(10);
}
