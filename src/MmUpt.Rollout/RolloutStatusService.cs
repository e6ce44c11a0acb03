using Grpc.Core;
using MmUpt.Contracts.V1;
using MmUpt.Hosting;

namespace MmUpt.Rollout;

/// <summary>RolloutService. Generate and SyncWeights arrive with the rollout engine; until then they are UNIMPLEMENTED.</summary>
public sealed class RolloutStatusService(ProcessInfoProvider process, RolloutOptions options) : RolloutService.RolloutServiceBase
{
    public override Task<RolloutStatus> GetStatus(GetRolloutStatusRequest request, ServerCallContext context) =>
        Task.FromResult(new RolloutStatus
        {
            Process = process.Snapshot(),
            ModelPath = options.Model ?? "",
            VotingAddress = options.VotingAddress,
        });
}
