using MmUpt.Hosting;
using MmUpt.Rollout.Generation;
using MmUpt.Rollout.Weights;
using Prometheus;

namespace MmUpt.Rollout;

/// <summary>
/// <c>mmupt_rollout_*</c>, read at scrape time from <see cref="RolloutStats"/>, the scheduler's queue and the model
/// registry. Counters are totals since start (take <c>rate()</c> of them); gauges are the state at the scrape.
/// </summary>
internal sealed class RolloutMetrics(RolloutStats stats, GenerationScheduler scheduler, ModelRegistry models) : IRoleMetrics
{
    public Action Register(IMetricFactory metrics)
    {
        var groups = metrics.CreateCounter("mmupt_rollout_groups_completed_total", "Groups whose samples were all delivered to the voting service.");
        var samples = metrics.CreateCounter("mmupt_rollout_samples_completed_total", "Samples delivered to the voting service.");
        var prompt = metrics.CreateCounter("mmupt_rollout_prompt_tokens_total", "Prompt tokens prefilled (padding excluded).");
        var generated = metrics.CreateCounter("mmupt_rollout_generated_tokens_total", "Tokens generated.");
        var prefill = metrics.CreateCounter("mmupt_rollout_prefill_seconds_total", "Generator time spent in prefill.");
        var decode = metrics.CreateCounter("mmupt_rollout_decode_seconds_total", "Generator time spent in decode.");
        var syncs = metrics.CreateCounter("mmupt_rollout_weights_syncs_total", "Weights versions fetched, verified and activated.");
        var syncSeconds = metrics.CreateCounter("mmupt_rollout_weights_sync_seconds_total", "Time spent fetching, verifying and loading weights versions.");
        var errors = metrics.CreateCounter("mmupt_rollout_errors_total", "Failed groups, generators and rejected weights versions.");
        var inFlight = metrics.CreateGauge("mmupt_rollout_in_flight_groups", "Groups being generated.");
        var queued = metrics.CreateGauge("mmupt_rollout_queue_depth_groups", "Groups waiting for a generator.");
        var generators = metrics.CreateGauge("mmupt_rollout_running_generators", "Batched generators running.");
        var version = metrics.CreateGauge("mmupt_rollout_active_weights_version", "Weights version new requests are served with (0 = base weights).");
        var lastSync = metrics.CreateGauge("mmupt_rollout_last_sync_timestamp_seconds", "Unix time of the last activated weights version; 0 before the first.");
        return () =>
        {
            var t = stats.Totals();
            groups.IncTo(stats.GroupsCompleted);
            samples.IncTo(stats.SamplesCompleted);
            prompt.IncTo(t.PromptTokens);
            generated.IncTo(t.GeneratedTokens);
            prefill.IncTo(t.PrefillSeconds);
            decode.IncTo(t.DecodeSeconds);
            syncs.IncTo(t.Syncs);
            syncSeconds.IncTo(t.SyncSeconds);
            errors.IncTo(t.Errors);
            inFlight.Set(stats.InFlight);
            queued.Set(scheduler.Queued);
            generators.Set(stats.Generators);
            version.Set(models.Active?.Version ?? 0);
            lastSync.Set(stats.LastSync is { } at ? new DateTimeOffset(at).ToUnixTimeMilliseconds() / 1000.0 : 0);
        };
    }
}
