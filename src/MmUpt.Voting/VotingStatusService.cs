using Grpc.Core;
using MmUpt.Contracts.V1;
using MmUpt.Hosting;

namespace MmUpt.Voting;

/// <summary>VotingService. Submit, Subscribe, Acknowledge and Score arrive with the grader; until then UNIMPLEMENTED.</summary>
public sealed class VotingStatusService(ProcessInfoProvider process, VotingOptions options) : VotingService.VotingServiceBase
{
    public override Task<VotingStatus> GetStatus(GetVotingStatusRequest request, ServerCallContext context) =>
        Task.FromResult(new VotingStatus { Process = process.Snapshot(), Mode = options.Mode });
}
