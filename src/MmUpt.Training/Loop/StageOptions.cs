using System.ComponentModel.DataAnnotations;

namespace MmUpt.Training.Loop;

/// <summary>One entry of <c>Train:Stages</c>.</summary>
public sealed class StageOptions : IValidatableObject
{
    /// <summary>What the stage does; required.</summary>
    public StageKind Kind { get; set; } = StageKind.Upt;

    /// <summary>The dataset (JSONL or Parquet); required for SFT and UPT (an Eval stage uses <c>Train:Eval</c>). A UPT stage never reads its answers.</summary>
    public string Data { get; set; } = "";

    /// <summary>Learner steps (SFT, UPT); default 10. Ignored by <see cref="StageKind.Eval"/>.</summary>
    [Range(0, 1_000_000)]
    public int Steps { get; set; } = 10;

    /// <summary>The stage's learning rate; empty (default) = <c>Learner:Trainer:LearningRate</c> (SFT usually wants a higher one).</summary>
    [Range(0.0, 1.0)]
    public double? LearningRate { get; set; }

    /// <summary>SFT: the response trained on, <c>ANSWER</c> replaced by the record's answer; default <c>\boxed{ANSWER}</c>.</summary>
    [Required]
    public string Target { get; set; } = @"\boxed{ANSWER}";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Kind != StageKind.Eval && Steps == 0)
            yield return new ValidationResult($"a {Kind} stage needs Steps ≥ 1", [nameof(Steps)]);
        if (Kind != StageKind.Eval && string.IsNullOrWhiteSpace(Data))
            yield return new ValidationResult($"a {Kind} stage needs a dataset", [nameof(Data)]);
        if (Kind == StageKind.Sft && !Target.Contains("ANSWER", StringComparison.Ordinal))
            yield return new ValidationResult("must contain ANSWER (where the record's answer goes)", [nameof(Target)]);
    }
}
