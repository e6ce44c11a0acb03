using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MmUpt.Contracts.V1;
using MmUpt.Hosting;

namespace MmUpt.Voting;

/// <summary>
/// <c>mmupt.v1.VotingService</c> over <see cref="VotingHub"/>. Submit handles each sample as it arrives, so a
/// rejected sample ends the call after every earlier one was kept. Subscribe streams oldest first and hands back, on
/// disconnect, what was not acknowledged.
/// </summary>
public sealed class VotingGrpcService(
    VotingHub hub, VotingOptions options, ProcessInfoProvider process, IHostApplicationLifetime lifetime, ILogger<VotingGrpcService> logger)
    : VotingService.VotingServiceBase
{
    public const int DefaultMaxUnacknowledged = 64;

    public override async Task<SubmitResponse> Submit(IAsyncStreamReader<SubmitRequest> requestStream, ServerCallContext context)
    {
        var response = new SubmitResponse();
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            if (request.Sample is null)
            {
                throw SampleValidator.Invalid($"request {response.AcceptedSamples}: sample is required");
            }
            var completed = hub.Submit(request.Sample, context.Peer);
            response.AcceptedSamples++;
            response.CompletedGroups += completed ? 1UL : 0UL;
        }
        return response;
    }

    public override async Task Subscribe(SubscribeRequest request, IServerStreamWriter<ScoredGroup> responseStream, ServerCallContext context)
    {
        var consumer = ConsumerName(request.Consumer);
        var max = request.MaxUnacknowledged == 0 ? DefaultMaxUnacknowledged : (int)request.MaxUnacknowledged;
        var subscription = hub.Delivery.Subscribe();
        // Ends when the subscriber leaves or the process stops (a waiting stream must not hold up shutdown).
        using var end = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        try
        {
            while (!end.IsCancellationRequested)
            {
                var (group, changed) = hub.Delivery.TryTake(consumer, subscription, max);
                if (group is null)
                {
                    await changed.WaitAsync(end.Token);
                    continue;
                }
                await responseStream.WriteAsync(group, end.Token);
            }
        }
        catch (OperationCanceledException) when (end.IsCancellationRequested)
        {
            // The normal end of this stream.
        }
        finally
        {
            var released = hub.Delivery.Release(consumer, subscription);
            VotingLog.SubscriberLeft(logger, consumer, released);
        }
    }

    public override Task<AcknowledgeResponse> Acknowledge(AcknowledgeRequest request, ServerCallContext context)
    {
        var keys = request.Groups.Select(g => new GroupAttempt(g.GroupId, g.Attempt));
        var acknowledged = hub.Delivery.Acknowledge(ConsumerName(request.Consumer), keys);
        return Task.FromResult(new AcknowledgeResponse { Acknowledged = (uint)acknowledged });
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
                throw SampleValidator.Invalid($"sample {s.GroupId}#{s.Attempt}[{s.Index}]: group_id, attempt and group_size must match sample 0's ({first.GroupId}#{first.Attempt}, size {first.GroupSize})");
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
                throw SampleValidator.Invalid($"sample {s.GroupId}#{s.Attempt}[{s.Index}]: duplicate index {s.Index}");
            }
            ordered[s.Index] = s;
        }
        return ordered;
    }

    private static string ConsumerName(string consumer) => string.IsNullOrEmpty(consumer) ? "default" : consumer;
}
