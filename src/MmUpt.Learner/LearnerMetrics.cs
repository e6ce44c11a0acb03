using MmUpt.Contracts.V1;
using MmUpt.Hosting;
using Prometheus;

namespace MmUpt.Learner;

/// <summary>
/// <c>mmupt_learner_*</c>, read at scrape time from the same <see cref="LearnerStatus"/> GetStatus returns: the
/// <see cref="LearnerStatusBoard"/> under <c>mmupt learn</c>, <c>LoopStatusView.ToProto</c> under <c>mmupt train</c>.
/// Phase, guard and replica state are state sets (one series per state, 1 for the current one); the last step's
/// values are NaN until a step reports them.
/// </summary>
public sealed class LearnerMetrics(Func<LearnerStatus> status) : IRoleMetrics
{
    public static readonly string[] GuardStates = ["off", "ok", "triggered"];

    /// <summary>The gauge name suffix of each reported last-step metric, and the <c>last_step_metrics</c> key it reads.</summary>
    public static readonly (string Name, string Key, string Help)[] LastStep =
    [
        ("reward_mean", "reward_mean", "Mean reward of the last step's trained samples."),
        ("majority_ratio", "majority_ratio", "Mean majority ratio of the last step's groups."),
        ("top_answer_share", "top_answer_share", "Share of the last step's groups won by its most common answer (the collapse signal)."),
        ("kl", "kl_loss", "KL to the reference policy (k3) of the last step."),
        ("entropy", "entropy", "Mean token entropy of the last step's responses."),
    ];

    public Action Register(IMetricFactory metrics)
    {
        var step = metrics.CreateGauge("mmupt_learner_step", "Completed learner steps.");
        var total = metrics.CreateGauge("mmupt_learner_total_steps", "Steps of the run; 0 when none is configured.");
        var version = metrics.CreateGauge("mmupt_learner_weights_version", "Newest published weights version (0 = base weights).");
        var phase = metrics.CreateGauge("mmupt_learner_phase", "1 for the phase the learner is in.", ["phase"]);
        var pending = metrics.CreateGauge("mmupt_learner_pending_groups", "Scored groups received and not yet trained on.");
        var rejected = metrics.CreateCounter("mmupt_learner_rejected_groups_total", "Scored groups rejected as invalid (never trained on).");
        var trainTokens = metrics.CreateGauge("mmupt_learner_training_tokens_per_second", "Training tokens per second over the last step.");
        var rolloutTokens = metrics.CreateGauge("mmupt_learner_rollout_tokens_per_second", "Rollout tokens per second across replicas over the last 30 s.");
        var done = metrics.CreateGauge("mmupt_learner_groups_done", "Scored groups collected for the step in progress.");
        var wanted = metrics.CreateGauge("mmupt_learner_groups_wanted", "Groups the step in progress needs (B).");
        var eta = metrics.CreateGauge("mmupt_learner_eta_seconds", "Estimated seconds until the stage's last step ends; NaN before its first step.");
        var guard = metrics.CreateGauge("mmupt_learner_guard", "1 for the collapse guard's state: off (no guard), ok, triggered.", ["state"]);
        var last = LastStep.Select(m => (m.Key, Gauge: metrics.CreateGauge($"mmupt_learner_last_{m.Name}", m.Help))).ToList();
        var replicas = metrics.CreateGauge("mmupt_learner_replicas", "Rollout replicas by state.", ["state"]);
        var inFlight = metrics.CreateGauge("mmupt_learner_replica_in_flight_groups", "Calls in flight on a replica.", ["address"]);
        var replicaVersion = metrics.CreateGauge("mmupt_learner_replica_weights_version", "Weights version a replica last confirmed.", ["address"]);
        var failures = metrics.CreateCounter("mmupt_learner_replica_failures_total", "Failed calls on a replica since it joined.", ["address"]);
        var phases = Enum.GetValues<LearnerPhase>().Where(p => p != LearnerPhase.Unspecified).ToList();
        var states = Enum.GetValues<ReplicaState>().Where(s => s != ReplicaState.Unspecified).ToList();
        return () =>
        {
            var s = status();
            step.Set(s.Step);
            total.Set(s.TotalSteps);
            version.Set(s.WeightsVersion);
            phases.ForEach(p => phase.WithLabels(Label(p)).Set(s.Phase == p ? 1 : 0));
            pending.Set(s.PendingGroups);
            rejected.IncTo(s.RejectedGroups);
            trainTokens.Set(s.TokensPerSecond);
            rolloutTokens.Set(s.RolloutTokensPerSecond);
            done.Set(s.GroupsDone);
            wanted.Set(s.GroupsWanted);
            eta.Set(s.Eta?.ToTimeSpan().TotalSeconds ?? double.NaN);
            var guardState = GuardState(s.Guard);
            foreach (var g in GuardStates) guard.WithLabels(g).Set(g == guardState ? 1 : 0);
            foreach (var (key, gauge) in last) gauge.Set(s.LastStepMetrics.TryGetValue(key, out var v) ? v : double.NaN);
            states.ForEach(st => replicas.WithLabels(Label(st)).Set(s.Replicas.Count(r => r.State == st)));
            var present = s.Replicas.Select(r => r.Address).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in inFlight.GetAllLabelValues().Where(l => !present.Contains(l[0])).ToList())
            {
                inFlight.RemoveLabelled(gone);
                replicaVersion.RemoveLabelled(gone);
                failures.RemoveLabelled(gone);
            }
            foreach (var r in s.Replicas)
            {
                inFlight.WithLabels(r.Address).Set(r.InFlightGroups);
                replicaVersion.WithLabels(r.Address).Set(r.WeightsVersion);
                failures.WithLabels(r.Address).IncTo(r.Failures);
            }
        };
    }

    /// <summary>off without a guard (empty line), ok while its line starts with "ok", triggered otherwise.</summary>
    public static string GuardState(string guard) =>
        guard.Length == 0 ? "off" : guard.StartsWith("ok", StringComparison.Ordinal) ? "ok" : "triggered";

    private static string Label<T>(T value) where T : struct, Enum =>
        System.Text.RegularExpressions.Regex.Replace(value.ToString(), "(?<=[a-z])(?=[A-Z])", "_").ToLowerInvariant();
}
