using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MmUpt.Contracts.V1;
using MmUpt.Hosting;

namespace MmUpt.Voting;

/// <summary>
/// <c>mmupt.v1.VotingService</c> over <see cref="VotingHub"/>. Submit handles each sample as it arrives, so a rejected
/// sample ends the call after every earlier one was kept. Subscribe streams oldest first under leases and hands back, on
/// disconnect, what was not acknowledged. When the process stops, open streams end at once with UNAVAILABLE (an idle
/// Submit must not hold shutdown), and everything confirmed is already in the log.
/// </summary>
[BindServiceMethod(typeof(VotingServiceBinding), nameof(VotingServiceBinding.BindService))]
public sealed class VotingGrpcService(
    VotingHub hub, VotingOptions options, ProcessInfoProvider process, IHostApplicationLifetime lifetime, ILogger<VotingGrpcService> logger)
    : VotingService.VotingServiceBase
{
    public const int DefaultMaxUnacknowledged = 64;
    public const int MaxUnacknowledged = 4096;

    public override async Task<SubmitResponse> Submit(IAsyncStreamReader<SubmitRequest> requestStream, ServerCallContext context)
    {
        var response = new SubmitResponse();
        using var end = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        while (true)
        {
            SubmitRequest request;
            try
            {
                if (!await requestStream.MoveNext(end.Token))
                {
                    return response;
                }
                request = requestStream.Current;
            }
            catch (MalformedRequestException ex)
            {
                hub.Rejected(ex, context.Peer);
                throw;
            }
            catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
            {
                throw ShuttingDown();
            }
            if (request.Sample is null)
            {
                var missing = SampleValidator.Invalid($"request {response.AcceptedSamples}: sample is required");
                hub.Rejected(missing, context.Peer);
                throw missing;
            }
            var completed = await hub.SubmitAsync(request.Sample, context.Peer);
            response.AcceptedSamples++;
            response.CompletedGroups += completed ? 1UL : 0UL;
        }
    }

    public override async Task Subscribe(SubscribeRequest request, IServerStreamWriter<ScoredGroup> responseStream, ServerCallContext context)
    {
        var consumer = ConsumerName(request.Consumer);
        if (request.MaxUnacknowledged > MaxUnacknowledged)
        {
            throw SampleValidator.Invalid($"max_unacknowledged {request.MaxUnacknowledged} is more than {MaxUnacknowledged}");
        }
        var deadline = request.AckDeadline?.ToTimeSpan() ?? TimeSpan.Zero;
        if (deadline < TimeSpan.Zero || (deadline > TimeSpan.Zero && deadline < TimeSpan.FromSeconds(1)))
        {
            throw SampleValidator.Invalid($"ack_deadline {deadline} must be 0 (server default) or at least 1 second");
        }
        var window = request.MaxUnacknowledged == 0 ? DefaultMaxUnacknowledged : (int)request.MaxUnacknowledged;
        var subscription = hub.Delivery.Open(consumer, window, deadline == TimeSpan.Zero ? options.AckDeadline : deadline);
        using var end = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        try
        {
            while (true)
            {
                var (group, changed) = hub.Delivery.TryTake(subscription);
                if (group is null)
                {
                    await changed.WaitAsync(end.Token);
                    continue;
                }
                await responseStream.WriteAsync(group, end.Token);
            }
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            throw ShuttingDown();
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The subscriber left: the normal end of this stream.
        }
        finally
        {
            var released = hub.Delivery.Close(subscription);
            VotingLog.SubscriberLeft(logger, consumer, released);
        }
    }

    public override async Task<AcknowledgeResponse> Acknowledge(AcknowledgeRequest request, ServerCallContext context)
    {
        var keys = request.Groups.Select(g => new GroupAttempt(g.GroupId, g.Attempt));
        return new AcknowledgeResponse { Acknowledged = (uint)await hub.AcknowledgeAsync(ConsumerName(request.Consumer), keys) };
    }

    public override Task<ScoreResponse> Score(ScoreRequest request, ServerCallContext context)
    {
        var samples = CompleteGroup(request.Samples);
        return Task.FromResult(new ScoreResponse { Group = hub.Scorer.Score(samples).Group });
    }

    public override Task<VotingStatus> GetStatus(GetVotingStatusRequest request, ServerCallContext context) =>
        Task.FromResult(hub.Status(process.Snapshot()));

    // The samples of one whole group attempt, in index order, or INVALID_ARGUMENT naming what is wrong.
    private Sample[] CompleteGroup(IList<Sample> samples)
    {
        if (samples.Count == 0)
        {
            throw SampleValidator.Invalid("samples: at least one sample is required");
        }
        var first = samples[0];
        foreach (var s in samples)
        {
            SampleValidator.Validate(s, options);
            if (s.GroupId != first.GroupId || s.Attempt != first.Attempt || s.GroupSize != first.GroupSize)
            {
                throw SampleValidator.Invalid($"{SampleValidator.Where(s)}: group_id, attempt and group_size must match sample 0's ({first.GroupId}#{first.Attempt}, size {first.GroupSize})");
            }
        }
        if (samples.Count != first.GroupSize)
        {
            throw SampleValidator.Invalid($"samples: {samples.Count} given for group_size {first.GroupSize}");
        }
        var ordered = new Sample[first.GroupSize];
        foreach (var s in samples)
        {
            if (ordered[s.Index] is not null)
            {
                throw SampleValidator.Invalid($"{SampleValidator.Where(s)}: duplicate index {s.Index}");
            }
            ordered[s.Index] = s;
        }
        return ordered;
    }

    private static RpcException ShuttingDown() =>
        new(new Status(StatusCode.Unavailable, "the voting service is shutting down; retry after it restarts (confirmed groups are kept)"));

    private static string ConsumerName(string consumer) => string.IsNullOrEmpty(consumer) ? "default" : consumer;
}
