using System.ComponentModel.DataAnnotations;

namespace MmUpt.Training.Loop;

/// <summary>
/// Held-out evaluation during a run (section <c>Train:Eval</c>): the live weights are exported in-process and sampled
/// with ORT GenAI (the rollout workers' engine) at the start, every <see cref="Every"/> steps of an SFT or UPT stage, at every
/// Eval stage, and at the end; each measurement is a line of <c>OUT/evals.jsonl</c>. Off when <see cref="Data"/> is empty.
/// </summary>
public sealed class TrainEvalOptions
{
    /// <summary>A labelled dataset (JSONL or Parquet); empty (default) = no evaluation.</summary>
    public string Data { get; set; } = "";

    /// <summary>Evaluate every this many steps of an SFT or UPT stage (0 = only at the start, at Eval stages and at the end); default 0.</summary>
    [Range(0, 1_000_000)]
    public int Every { get; set; }

    /// <summary>K: samples per problem at the rollout temperature (pass@1, maj@K); default 8.</summary>
    [Range(1, 32)]
    public int Samples { get; set; } = 8;

    /// <summary>Problems evaluated, the first N in file order (0 = all); default 0.</summary>
    [Range(0, int.MaxValue)]
    public int Limit { get; set; }

    /// <summary>Feed the accuracy to the collapse guard's dev-accuracy rule (a labelled dev set, not label-free); default false.</summary>
    public bool FeedsGuard { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Data);
}
