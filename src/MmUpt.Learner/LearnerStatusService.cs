using Grpc.Core;
using MmUpt.Contracts.V1;
using MmUpt.Hosting;

namespace MmUpt.Learner;

/// <summary>LearnerService: status of the step loop (idle until a run is started).</summary>
public sealed class LearnerStatusService(ProcessInfoProvider process) : LearnerService.LearnerServiceBase
{
    public override Task<LearnerStatus> GetStatus(GetLearnerStatusRequest request, ServerCallContext context) =>
        Task.FromResult(new LearnerStatus { Process = process.Snapshot(), Phase = LearnerPhase.Idle });
}
