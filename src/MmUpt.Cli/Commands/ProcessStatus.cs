using Google.Protobuf;
using Grpc.Health.V1;
using MmUpt.Contracts.V1;

namespace MmUpt.Cli;

/// <summary>What one process said about itself: its GetStatus reply (whose ProcessInfo names the role) and its health.</summary>
public sealed record ProcessStatus(Uri Address, ProcessInfo Process, IMessage Status, HealthCheckResponse.Types.ServingStatus Health)
{
    public bool Serving => Health == HealthCheckResponse.Types.ServingStatus.Serving;

    /// <summary>The weights version the process serves (rollout) or has published (learner); null for voting.</summary>
    public ulong? WeightsVersion => Status switch
    {
        RolloutStatus r => r.ActiveWeightsVersion,
        LearnerStatus l => l.WeightsVersion,
        _ => null,
    };

    /// <summary>Work waiting: rollout requests queued + in flight, voting groups ready for the learner, learner groups not yet trained on.</summary>
    public ulong Queue => Status switch
    {
        RolloutStatus r => r.QueueDepth + (ulong)r.InFlightRequests,
        VotingStatus v => v.GroupsReady,
        LearnerStatus l => l.PendingGroups,
        _ => 0,
    };

    /// <summary>Generated (rollout) or trained (learner) tokens per second; null for voting.</summary>
    public double? TokensPerSecond => Status switch
    {
        RolloutStatus r => r.TokensPerSecond,
        LearnerStatus l => l.TokensPerSecond,
        _ => null,
    };
}
