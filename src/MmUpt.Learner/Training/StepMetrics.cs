namespace MmUpt.Learner.Training;

/// <summary>
/// What one learner step measured, by name (the keys of <c>LearnerStatus.last_step_metrics</c> and the TensorBoard
/// tags): loss, pg_loss, kl_loss, pg_clipfrac_higher, pg_clipfrac_lower, ppo_kl, entropy, grad_norm, lr,
/// reward_mean, zero_signal_groups, groups, responses, response_length_mean, optimizer_steps, skipped_steps,
/// logprob_mismatch (mean behaviour − learner π_old), tokens_per_second, time_old_logprob_s, time_ref_logprob_s,
/// time_update_s, time_total_s.
/// </summary>
public sealed class StepMetrics
{
    public Dictionary<string, double> Values { get; } = [];

    public double this[string name]
    {
        get => Values.TryGetValue(name, out var v) ? v : double.NaN;
        set => Values[name] = value;
    }

    /// <summary>"loss=0.0123 kl_loss=..." in a fixed order, for the console.</summary>
    public override string ToString() =>
        string.Join(' ', Values.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value:G4}"));
}
