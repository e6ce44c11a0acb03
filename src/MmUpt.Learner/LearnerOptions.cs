using System.ComponentModel.DataAnnotations;
using MmUpt.Core.Options;

namespace MmUpt.Learner;

/// <summary>The learner. Section <c>Learner</c>; flags <c>--device</c>, <c>--checkpoint</c>, <c>--out</c>, <c>--seed</c>.</summary>
public sealed class LearnerOptions
{
    public const string Section = "Learner";

    /// <summary>Engine device: <c>cpu</c> (default) or <c>cuda:N</c> in a CUDA build.</summary>
    [Device]
    public string Device { get; set; } = "cpu";

    /// <summary>The Hugging Face checkpoint folder of the policy; empty serves status only.</summary>
    public string? Checkpoint { get; set; }

    /// <summary>Run folder for checkpoints, weights versions and metrics; default <c>runs/latest</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Out { get; set; } = "runs/latest";

    /// <summary>Seed of every random choice of the run; default 1 (as the original).</summary>
    [Range(0, long.MaxValue)]
    public long Seed { get; set; } = 1;
}
