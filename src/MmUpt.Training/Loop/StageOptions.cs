using System.ComponentModel.DataAnnotations;

namespace MmUpt.Training.Loop;

/// <summary>One entry of <c>Train:Stages</c>.</summary>
public sealed class StageOptions : IValidatableObject
{
    /// <summary>What the stage does; required.</summary>
    public StageKind Kind { get; set; } = StageKind.Upt;

    /// <summary>The dataset (JSONL or Parquet); required. A UPT stage never reads its answers.</summary>
    [Required]
    public string Data { get; set; } = "";

    /// <summary>Learner steps (SFT, UPT); default 10. Ignored by <see cref="StageKind.Eval"/>.</summary>
    [Range(0, 1_000_000)]
    public int Steps { get; set; } = 10;

    /// <summary>Samples per problem of an evaluation (pass@1 and maj@K over K); default 4.</summary>
    [Range(1, 64)]
    public int Samples { get; set; } = 4;

    /// <summary>Problems an evaluation reads (0 = all); default 0.</summary>
    [Range(0, int.MaxValue)]
    public int Limit { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Kind != StageKind.Eval && Steps == 0)
            yield return new ValidationResult($"a {Kind} stage needs Steps ≥ 1", [nameof(Steps)]);
    }
}
