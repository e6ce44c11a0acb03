using System.ComponentModel.DataAnnotations;
using MmUpt.Learner.Grpo;

namespace MmUpt.Learner.Training;

/// <summary>Where π_old comes from in the PPO ratio.</summary>
public enum OldLogProbSource
{
    /// <summary>
    /// Recomputed by the learner with the weights before the updates (faithful, on-policy; EasyR1 ignores vLLM's
    /// log-probs). With one epoch and the whole batch in one mini-batch, the update's own forward is that computation and
    /// gives π_old without a separate pass.
    /// </summary>
    Recompute,
    /// <summary>The rollout's behaviour log-probs as π_old (async mode: no extra forward; the clip then bounds π_θ/π_behaviour).</summary>
    Behaviour,
}

/// <summary>
/// The optimizer and batching of the learner. Section <c>Learner:Trainer</c>. Defaults are MM-UPT's (EasyR1
/// <c>examples/config.yaml</c>, notes/mmupt-method.md §2.1) except where a line says otherwise.
/// </summary>
public sealed class TrainerOptions : IValidatableObject
{
    /// <summary>Sampling temperature: every log-prob (old, reference, update) uses logits / T. Default 0.7.</summary>
    [Range(1e-3, 100.0)]
    public double Temperature { get; set; } = 0.7;

    /// <summary>AdamW learning rate. Default 1e-6.</summary>
    [Range(0.0, 1.0)]
    public double LearningRate { get; set; } = 1e-6;

    /// <summary>AdamW decoupled weight decay, on every parameter. Default 0.01.</summary>
    [Range(0.0, 1.0)]
    public double WeightDecay { get; set; } = 0.01;

    /// <summary>AdamW β₁. Default 0.9.</summary>
    [Range(0.0, 1.0, MaximumIsExclusive = true)]
    public double Beta1 { get; set; } = 0.9;

    /// <summary>AdamW β₂. Default 0.999.</summary>
    [Range(0.0, 1.0, MaximumIsExclusive = true)]
    public double Beta2 { get; set; } = 0.999;

    /// <summary>AdamW ε. Default 1e-8.</summary>
    [Range(0.0, 1.0, MinimumIsExclusive = true)]
    public double AdamEps { get; set; } = 1e-8;

    /// <summary>Global grad-norm clip; a step whose norm is not finite is skipped. Default 1.0.</summary>
    [Range(0.0, 1e6, MinimumIsExclusive = true)]
    public double MaxGradNorm { get; set; } = 1.0;

    /// <summary>Optimizer steps of linear warmup from 0 to the learning rate, then constant. Default 0 (as the original).</summary>
    [Range(0, int.MaxValue)]
    public int WarmupSteps { get; set; }

    /// <summary>Groups (prompts) per optimizer step: a rollout batch of B groups gives ⌈B / this⌉ steps per epoch. Default 128.</summary>
    [Range(1, int.MaxValue)]
    public int GroupsPerMiniBatch { get; set; } = 128;

    /// <summary>Responses per forward/backward (gradient accumulation unit; the loss is a token-mean per micro-batch). Default 4.</summary>
    [Range(1, int.MaxValue)]
    public int MicroBatchSize { get; set; } = 4;

    /// <summary>Passes over each rollout batch (ppo_epochs). Default 1.</summary>
    [Range(1, 100)]
    public int Epochs { get; set; } = 1;

    /// <summary>Keep the vision tower fixed (not in the optimizer). Default false: MM-UPT trains it.</summary>
    public bool FreezeVisionTower { get; set; }

    /// <summary>Drop groups whose rewards are all equal (A = 0) before the update; they are counted either way. Default false.</summary>
    public bool SkipZeroSignalGroups { get; set; }

    /// <summary>Where π_old comes from. Default <see cref="OldLogProbSource.Recompute"/>.</summary>
    public OldLogProbSource OldLogProbs { get; set; } = OldLogProbSource.Recompute;

    /// <summary>
    /// Truncated importance sampling cap C: with recomputed π_old, each token's policy loss is weighted by
    /// min(π_old / π_behaviour, C) (corrects the rollout/learner mismatch in the async mode). 0 (default) = off.
    /// </summary>
    [Range(0.0, 1e3)]
    public double TisCap { get; set; }

    /// <summary>Compute precision: <c>fp32</c> (default) or <c>bf16</c> (bf16 forward/backward, fp32 master weights and AdamW).</summary>
    [RegularExpression("^(fp32|bf16)$", ErrorMessage = "must be fp32 or bf16")]
    public string Precision { get; set; } = "fp32";

    /// <summary>Recompute each decoder layer in backward instead of keeping its activations. Default false.</summary>
    public bool GradientCheckpointing { get; set; }

    /// <summary>
    /// Run each distinct prompt of a micro-batch once — its image through the vision tower and its tokens through the
    /// decoder — and every response after it, attending to the prompt's keys and values (the G responses of a group
    /// share one prompt: the shared-prefix forward). Equal log-probs and gradients up to summation order, at a fraction
    /// of the cost when prompts are long next to responses. Not combined with <see cref="GradientCheckpointing"/> (which
    /// then runs every row whole). Default true.
    /// </summary>
    public bool SharePrompts { get; set; } = true;

    /// <summary>Whether micro-batches are built with each distinct prompt once (<see cref="SharePrompts"/> without checkpointing).</summary>
    internal bool BuildsSharedPrompts => SharePrompts && !GradientCheckpointing;

    /// <summary>Tokens per vocabulary chunk of the log-prob computation ([chunk, V] fp32 logits at most). Default 256.</summary>
    [Range(1, 1 << 20)]
    public int LogitsChunkTokens { get; set; } = 256;

    /// <summary>The GRPO loss knobs.</summary>
    public GrpoOptions Grpo { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (TisCap > 0 && OldLogProbs == OldLogProbSource.Behaviour)
            yield return new ValidationResult("TisCap needs OldLogProbs = Recompute (with behaviour π_old the weight is 1)", [nameof(TisCap)]);
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(Grpo, new ValidationContext(Grpo), results, validateAllProperties: true))
        {
            foreach (var r in results) yield return new ValidationResult(r.ErrorMessage, r.MemberNames.Select(m => $"{nameof(Grpo)}:{m}"));
        }
    }
}
