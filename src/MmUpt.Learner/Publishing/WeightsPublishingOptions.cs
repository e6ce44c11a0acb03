using System.ComponentModel.DataAnnotations;

namespace MmUpt.Learner.Publishing;

/// <summary>
/// Where and in which form the learner publishes weights versions. The form must match the rollout workers' export
/// (<c>mmupt export --external-data always</c> with the same <c>--dtype</c> and <c>--all-position-logits</c>), since
/// a version is that export's data files.
/// </summary>
public sealed class WeightsPublishingOptions
{
    public const string Section = "Weights";

    /// <summary>Folder of the versions (<c>v{N}/</c>); default <c>weights</c>, relative to the working directory.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Folder { get; set; } = "weights";

    /// <summary>Versions kept; older ones are pruned after each publish. Default 3.</summary>
    [Range(1, 1000)]
    public int KeepVersions { get; set; } = 3;

    /// <summary>Stored dtype of the weights, as the export's <c>--dtype</c>: <c>fp32</c> (default), <c>fp16</c> or <c>bf16</c>.</summary>
    [RegularExpression("^(fp32|fp16|bf16)$", ErrorMessage = "Dtype must be 'fp32', 'fp16' or 'bf16'")]
    public string Dtype { get; set; } = "fp32";

    /// <summary>As the export's <c>--all-position-logits</c> (it changes the decoder's constants); default false.</summary>
    public bool AllPositionLogits { get; set; }
}
