using Google.Protobuf.WellKnownTypes;
using MmUpt.Contracts.V1;
using MmUpt.Training.Dispatch;
using Polly.CircuitBreaker;

namespace MmUpt.Learner.Loop;

/// <summary>
/// The step loop's <see cref="LoopStatus"/> and replicas as <c>LearnerService.GetStatus</c> reports them (learner.proto).
/// The process info is the server's to add. The last step's vote metrics join the learner's in
/// <c>last_step_metrics</c> (majority_ratio, top_answer_share, unanimous_fraction, answer_entropy, and reward_mean /
/// response_length_mean where the learner reported none).
/// </summary>
public static class LoopStatusView
{
    public static LearnerStatus ToProto(LoopStatus status, IEnumerable<Replica> replicas)
    {
        var proto = new LearnerStatus
        {
            Phase = status.Phase,
            Stage = status.Stage,
            Step = (ulong)Math.Max(0, status.Step),
            TotalSteps = (ulong)Math.Max(0, status.TotalSteps),
            WeightsVersion = status.WeightsVersion,
            GroupsDone = (uint)Math.Max(0, status.GroupsDone),
            GroupsWanted = (uint)Math.Max(0, status.GroupsWanted),
            Guard = status.Guard,
            LastStepLine = status.LastLine,
            RolloutTokensPerSecond = status.RolloutTokensPerSecond,
        };
        if (status.Eta is { } eta) proto.Eta = Duration.FromTimeSpan(eta);
        foreach (var (name, value) in status.LastMetrics) proto.LastStepMetrics[name] = value;
        if (proto.LastStepMetrics.TryGetValue("tokens_per_second", out var tokens)) proto.TokensPerSecond = tokens;
        if (status.LastVotes is { Groups: > 0 } votes)
        {
            proto.LastStepMetrics["majority_ratio"] = votes.MajorityRatio;
            proto.LastStepMetrics["top_answer_share"] = votes.TopAnswerShare;
            proto.LastStepMetrics["unanimous_fraction"] = votes.UnanimousFraction;
            proto.LastStepMetrics["answer_entropy"] = votes.AnswerEntropy;
            proto.LastStepMetrics.TryAdd("reward_mean", votes.RewardMean);
            proto.LastStepMetrics.TryAdd("response_length_mean", votes.ResponseLength);
        }
        proto.Replicas.AddRange(replicas.OrderBy(r => r.Address, StringComparer.Ordinal).Select(r => ToProto(r, status.WeightsVersion)));
        return proto;
    }

    private static ReplicaStatus ToProto(Replica replica, ulong version) => new()
    {
        Address = replica.Address,
        State = StateOf(replica, version),
        WeightsVersion = replica.SyncedVersion ?? 0,
        Synced = replica.SyncedVersion is not null,
        InFlightGroups = (uint)Math.Max(0, replica.Outstanding),
        Failures = (ulong)Math.Max(0, replica.Failures),
    };

    /// <summary>Open before any sync succeeded (or isolated) is down; behind <paramref name="version"/> is syncing.</summary>
    public static ReplicaState StateOf(Replica replica, ulong version) => replica.Circuit switch
    {
        CircuitState.Isolated => ReplicaState.Down,
        CircuitState.Open => replica.SyncedVersion is null ? ReplicaState.Down : ReplicaState.OpenCircuit,
        _ when replica.NeedsSync || replica.SyncedVersion is not { } synced || synced < version => ReplicaState.Syncing,
        _ => ReplicaState.Ready,
    };
}
