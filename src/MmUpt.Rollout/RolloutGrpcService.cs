using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using MmUpt.Contracts.V1;
using MmUpt.Hosting;
using MmUpt.Rollout.Delivery;
using MmUpt.Rollout.Generation;
using MmUpt.Rollout.Weights;

namespace MmUpt.Rollout;

/// <summary>
/// <c>mmupt.v1.RolloutService</c>. Generate: wait for min_weights_version (bounded), validate and prepare the request,
/// queue it, and stream its samples to the voting service while it generates; the reply comes once every sample is
/// acknowledged. A failure to deliver cancels the group's rows; the caller's cancellation or deadline does too.
/// </summary>
public sealed class RolloutGrpcService(
    RolloutOptions options, ModelRegistry models, GenerationScheduler scheduler, GenerateRequestReader reader, RequestCache requests,
    VotingClients voting, WeightsSync weights, RolloutStats stats, ProcessInfoProvider process, ILogger<RolloutGrpcService> logger)
    : RolloutService.RolloutServiceBase
{
    public override Task<GenerateResponse> Generate(GenerateRequest request, ServerCallContext context)
    {
        if (models.Active is null)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, "no model is loaded: start the worker with --model DIR"));
        }
        return requests.GetOrRun(request, () => GenerateAsync(request, context.CancellationToken));
    }

    private async Task<GenerateResponse> GenerateAsync(GenerateRequest request, CancellationToken callCancelled)
    {
        try
        {
            return await RunAsync(request, callCancelled);
        }
        catch (RpcException e) when (e.StatusCode is not (StatusCode.InvalidArgument or StatusCode.Cancelled))
        {
            RolloutLog.GroupFailed(logger, request.GroupId, request.Attempt, e.StatusCode.ToString(), e.Status.Detail);
            stats.Error($"group {request.GroupId}#{request.Attempt}: {e.StatusCode} {e.Status.Detail}");
            throw;
        }
    }

    private async Task<GenerateResponse> RunAsync(GenerateRequest request, CancellationToken callCancelled)
    {
        if (!await models.WaitForAsync(request.MinWeightsVersion, options.WeightsWait, callCancelled))
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"min_weights_version {request.MinWeightsVersion} is not loaded (active: {models.Active?.Version}) after waiting {options.WeightsWait.TotalSeconds:F0} s"));
        }
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(callCancelled);
        GroupJob job;
        // Any loaded version tokenizes and preprocesses the same; the lease keeps it from being freed meanwhile.
        using (var lease = models.Acquire() ?? throw new RpcException(new Status(StatusCode.FailedPrecondition, "no model is loaded")))
        {
            job = reader.Read(request, lease.Engine, stop.Token);
        }
        var address = request.VotingAddress.Length > 0 ? request.VotingAddress : options.VotingAddress;
        var delivery = new GroupDelivery(job, voting.For(address), address, process.InstanceId, options, stats, logger);
        job.RowFinished = delivery.Post;
        scheduler.Enqueue(job);
        var delivering = DeliverAsync(delivery, stop);
        try
        {
            await job.Generated.Task;
        }
        catch (Exception e)
        {
            delivery.Abandon();
            await stop.CancelAsync();
            callCancelled.ThrowIfCancellationRequested();
            if (delivering.IsFaulted)
            {
                await delivering;
            }
            throw e as RpcException ?? new RpcException(new Status(StatusCode.Internal, $"generation failed: {e.Message}"));
        }
        await delivering;
        callCancelled.ThrowIfCancellationRequested();
        stats.GroupCompleted();
        return new GenerateResponse
        {
            GroupId = request.GroupId,
            Attempt = request.Attempt,
            SamplesDelivered = (uint)delivery.Delivered,
            WeightsVersion = job.WeightsVersion,
            GeneratedTokens = (ulong)delivery.GeneratedTokens,
            Timings = delivery.GroupTimings(),
        };
    }

    // A delivery failure stops the group's rows at once rather than after the generator ends.
    private static async Task DeliverAsync(GroupDelivery delivery, CancellationTokenSource stop)
    {
        try
        {
            await delivery.RunAsync(stop.Token);
        }
        catch (RpcException)
        {
            await stop.CancelAsync();
            throw;
        }
    }

    public override Task<SyncWeightsResponse> SyncWeights(SyncWeightsRequest request, ServerCallContext context) =>
        weights.SyncAsync(request, context.CancellationToken);

    public override Task<RolloutStatus> GetStatus(GetRolloutStatusRequest request, ServerCallContext context)
    {
        var (tokens, samples, prefill, decode) = stats.Rates();
        var status = new RolloutStatus
        {
            Process = process.Snapshot(),
            ModelPath = options.Model ?? "",
            ActiveWeightsVersion = models.Active?.Version ?? 0,
            InFlightRequests = (uint)stats.InFlight,
            QueueDepth = (uint)scheduler.Queued,
            GroupsCompleted = (ulong)stats.GroupsCompleted,
            SamplesCompleted = (ulong)stats.SamplesCompleted,
            TokensPerSecond = tokens,
            SamplesPerSecond = samples,
            PrefillTokensPerSecond = prefill,
            DecodeTokensPerSecond = decode,
            VotingAddress = options.VotingAddress,
            RunningGenerators = (uint)stats.Generators,
            LastError = stats.LastError,
        };
        status.LoadedWeightsVersions.AddRange(models.Loaded);
        if (stats.LastSync is { } sync)
        {
            status.LastSyncTime = Timestamp.FromDateTime(sync);
        }
        return Task.FromResult(status);
    }
}
