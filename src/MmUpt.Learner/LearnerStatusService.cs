using Grpc.Core;
using MmUpt.Contracts.V1;
using MmUpt.Hosting;

namespace MmUpt.Learner;

/// <summary>LearnerService: step, weights version, phase and the last step's metrics.</summary>
public sealed class LearnerStatusService(ProcessInfoProvider process, LearnerStatusBoard board) : LearnerService.LearnerServiceBase
{
    public override Task<LearnerStatus> GetStatus(GetLearnerStatusRequest request, ServerCallContext context)
    {
        var status = board.Snapshot();
        status.Process = process.Snapshot();
        return Task.FromResult(status);
    }
}
