using System.ComponentModel.DataAnnotations;
using MmUpt.Core.Options;
using MmUpt.Training.Dispatch;

namespace MmUpt.Training.Loop;

/// <summary>
/// A training run (section <c>Train</c>, <c>mmupt train</c>): the recipe's stages and the step loop's shape. Defaults
/// follow MM-UPT where the paper sets them (G = 5... the paper's rollout n is 5; see notes/mmupt-method.md) and are
/// scaled down for a CPU otherwise.
/// </summary>
public sealed class TrainOptions : IValidatableObject
{
    public const string Section = "Train";

    /// <summary>The starting Hugging Face checkpoint folder (mmupt init / an SFT output); required.</summary>
    [Required]
    public string Checkpoint { get; set; } = "";

    /// <summary>The run folder: steps.jsonl, checkpoints, weights versions, events; default <c>runs/train</c>.</summary>
    [Required]
    public string Out { get; set; } = "runs/train";

    /// <summary>The recipe, run in order; at least one stage.</summary>
    public List<StageOptions> Stages { get; set; } = [];

    /// <summary>B: prompts (groups) per learner step; default 8.</summary>
    [Range(1, 4096)]
    public int PromptsPerStep { get; set; } = 8;

    /// <summary>G: responses sampled per prompt; default 8 (MM-UPT: 10), at most 32 (one generator batch).</summary>
    [Range(2, 32)]
    public int GroupSize { get; set; } = 8;

    /// <summary>Publish a weights version and sync the replicas every this many steps; default 1 (on-policy).</summary>
    [Range(1, 10_000)]
    public int SyncInterval { get; set; } = 1;

    /// <summary><see cref="LoopMode.Sync"/> (default, faithful) or <see cref="LoopMode.Async"/>.</summary>
    public LoopMode Mode { get; set; } = LoopMode.Sync;

    /// <summary>
    /// Async mode: a sample may come from a version at most this many versions behind the weights the step that trains
    /// on it updates (1: step k + 1 samples from the version published after step k − 1, so its requests wait for that
    /// version's load; 2: they start on the version already loaded); at least 1; default 1.
    /// </summary>
    [Range(0, 100)]
    public int MaxStaleness { get; set; } = 1;

    /// <summary>Sampling temperature of the rollouts (and of the learner's log-probs); default 0.7 (MM-UPT).</summary>
    [Range(0.01, 10.0)]
    public double Temperature { get; set; } = 0.7;

    /// <summary>Maximum new tokens per response; default 64 (the synthetic tasks need a short chain and a box).</summary>
    [Range(1, 32_768)]
    public int MaxNewTokens { get; set; } = 64;

    /// <summary>The voting service; default <c>http://127.0.0.1:50052</c>.</summary>
    [Required, HttpAddress]
    public string Voting { get; set; } = "http://127.0.0.1:50052";

    /// <summary>Seed of the dataset order and of every other random choice; default 1.</summary>
    public long Seed { get; set; } = 1;

    /// <summary>Save a checkpoint every this many steps (and at the end of each stage); default 5.</summary>
    [Range(1, 1_000_000)]
    public int CheckpointInterval { get; set; } = 5;

    /// <summary>The rollout replicas and the resilience of calls to them.</summary>
    public ReplicaOptions Replicas { get; set; } = new();

    /// <summary>Held-out evaluation during the run; off unless <c>Train:Eval:Data</c> is set.</summary>
    public TrainEvalOptions Eval { get; set; } = new();

    /// <summary>
    /// A labelled dev set the collapse guard evaluates (off unless <c>Train:Dev:Data</c> is set): measured on the weights
    /// a UPT stage starts from, every <c>Train:Dev:Every</c> steps that publish a version, and at the stage's last step;
    /// its pass@1 feeds <c>Guard:MaxDevAccuracyDrop</c>, and only versions it measured within that limit become the
    /// guard's rollback target. Each measurement is a line of <c>OUT/dev.jsonl</c>. Held out like Eval, never reported as
    /// the result: the run's decisions depend on it.
    /// </summary>
    public TrainEvalOptions Dev { get; set; } = new();

    /// <summary>
    /// What <c>SyncWeights</c> tells replicas to load versions from: empty (default) = the absolute path of
    /// <c>OUT/weights</c> (replicas on this machine or a shared file system); otherwise an address of this process's
    /// WeightsService as the replicas reach it (e.g. <c>http://learner-0.learner:50053</c>).
    /// </summary>
    public string WeightsSource { get; set; } = "";

    /// <summary>Whether a stage of <paramref name="kind"/> is in the recipe.</summary>
    public bool Has(StageKind kind) => Stages.Any(s => s.Kind == kind);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Stages.Count == 0)
            yield return new ValidationResult("the recipe needs at least one stage (Train:Stages:0:Kind = Sft|Upt|Eval)", [nameof(Stages)]);
        for (var i = 0; i < Stages.Count; i++)
        {
            foreach (var r in Nested(Stages[i])) yield return Prefixed(r, $"{nameof(Stages)}:{i}");
        }
        // Replicas matter only to UPT stages: an SFT/Eval recipe runs with none.
        if (Has(StageKind.Upt))
        {
            foreach (var r in Nested(Replicas)) yield return Prefixed(r, nameof(Replicas));
        }
        if (Mode == LoopMode.Async && MaxStaleness < 1)
            yield return new ValidationResult("async mode needs MaxStaleness >= 1 (step k + 1 is sampled before step k's version exists)", [nameof(MaxStaleness)]);
        foreach (var r in Nested(Eval)) yield return Prefixed(r, nameof(Eval));
        foreach (var r in Nested(Dev)) yield return Prefixed(r, nameof(Dev));
        if (Dev.Enabled && Eval.FeedsGuard)
            yield return new ValidationResult("Train:Dev and Train:Eval:FeedsGuard both feed the guard's dev rule: keep one (a dev set, not the held-out one)",
                [$"{nameof(Eval)}:{nameof(TrainEvalOptions.FeedsGuard)}"]);
        if (Dev.Enabled && Eval.Enabled && Path.GetFullPath(Dev.Data) == Path.GetFullPath(Eval.Data))
            yield return new ValidationResult("Train:Dev:Data is the held-out set Train:Eval:Data: the guard would select on the reported result",
                [$"{nameof(Dev)}:{nameof(TrainEvalOptions.Data)}"]);
        if (Has(StageKind.Eval) && !Eval.Enabled)
            yield return new ValidationResult("an Eval stage needs Train:Eval:Data (the labelled held-out set)", [$"{nameof(Eval)}:{nameof(TrainEvalOptions.Data)}"]);
    }

    private static List<ValidationResult> Nested(object o)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(o, new ValidationContext(o), results, validateAllProperties: true);
        return results;
    }

    private static ValidationResult Prefixed(ValidationResult r, string prefix) =>
        new(r.ErrorMessage, r.MemberNames.DefaultIfEmpty("").Select(m => m.Length == 0 ? prefix : $"{prefix}:{m}"));
}
