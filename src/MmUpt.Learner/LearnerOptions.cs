using System.ComponentModel.DataAnnotations;
using MmUpt.Core.Options;
using MmUpt.Learner.Training;

namespace MmUpt.Learner;

/// <summary>
/// The learner process. Section <c>Learner</c>; flags <c>--checkpoint</c>, <c>--work</c>, <c>--device</c>,
/// <c>--threads</c>, <c>--resume</c>, <c>--voting</c>. The optimizer and loss are in <see cref="Trainer"/>
/// (<c>Learner:Trainer</c>, <c>Learner:Trainer:Grpo</c>).
/// </summary>
public sealed class LearnerOptions : EngineOptions, IValidatableObject
{
    public const string Section = "Learner";

    /// <summary>The Hugging Face folder the policy and the frozen reference start from; checked at start. Empty serves status only.</summary>
    public string? Checkpoint { get; set; }

    /// <summary>Working folder: checkpoints, TensorBoard events. Required with <see cref="Checkpoint"/>.</summary>
    public string? Work { get; set; }

    /// <summary>Torch intra-op threads; 0 (default) keeps torch's choice (the core count).</summary>
    [Range(0, 1024)]
    public int Threads { get; set; }

    /// <summary>Continue from the newest checkpoint in <see cref="Work"/>. Without it a work folder that has checkpoints is refused.</summary>
    public bool Resume { get; set; }

    /// <summary>Voting service to subscribe to for scored groups; empty (default): groups are only given in-process.</summary>
    [HttpAddress]
    public string? VotingAddress { get; set; }

    /// <summary>Consumer name on the voting service (redelivery of unacknowledged groups is per consumer). Default "learner".</summary>
    [Required]
    public string Consumer { get; set; } = "learner";

    /// <summary>Scored groups per learner step (the rollout batch B). Default 512, as the original.</summary>
    [Range(1, int.MaxValue)]
    public int GroupsPerStep { get; set; } = 512;

    /// <summary>Write a checkpoint every this many steps (and on shutdown). Default 5, as the original.</summary>
    [Range(1, int.MaxValue)]
    public int CheckpointEvery { get; set; } = 5;

    /// <summary>Checkpoints kept (the newest). Default 7, as the original script.</summary>
    [Range(1, 1000)]
    public int KeepCheckpoints { get; set; } = 7;

    /// <summary>Seed of torch's generator at a fresh start (resume restores the saved state). Default 1.</summary>
    public long Seed { get; set; } = 1;

    /// <summary>Optimizer, batching, precision and the GRPO loss.</summary>
    public TrainerOptions Trainer { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(Checkpoint) && !File.Exists(Path.Combine(Checkpoint, "config.json")))
            yield return new ValidationResult($"{Checkpoint} is not a Hugging Face checkpoint folder (no config.json)", [nameof(Checkpoint)]);
        if (!string.IsNullOrWhiteSpace(Checkpoint) && string.IsNullOrWhiteSpace(Work))
            yield return new ValidationResult("is required (the folder for checkpoints and TensorBoard events)", [nameof(Work)]);
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(Trainer, new ValidationContext(Trainer), results, validateAllProperties: true))
        {
            foreach (var r in results) yield return new ValidationResult(r.ErrorMessage, r.MemberNames.Select(m => $"{nameof(Trainer)}:{m}"));
        }
    }
}
