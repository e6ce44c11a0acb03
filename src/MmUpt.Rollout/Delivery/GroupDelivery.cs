using System.Threading.Channels;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using MmUpt.Contracts.V1;
using MmUpt.Rollout.Engine;
using MmUpt.Rollout.Generation;
using Polly;
using Polly.Retry;

namespace MmUpt.Rollout.Delivery;

/// <summary>
/// Streams the samples of one group to the voting service as each finishes (the generator only queues them here).
/// <para>
/// Each sample is its own <c>Submit</c> call carrying one message: the reply is then the voting service's
/// acknowledgement of exactly that sample, which a long stream only gives for all samples at its end. A call that fails
/// with UNAVAILABLE, RESOURCE_EXHAUSTED (back-pressure) or DEADLINE_EXCEEDED is retried with exponential backoff and
/// jitter (Polly), <see cref="RolloutOptions.VotingAttempts"/> tries in all, then the group fails with UNAVAILABLE. A
/// sample is never delivered twice under one attempt: the voting service rejects a second copy of an index, and when a
/// retry meets that rejection (the first try arrived but its reply was lost) the sample counts as delivered.
/// </para>
/// </summary>
public sealed class GroupDelivery
{
    private readonly Channel<Sample> _pending = Channel.CreateUnbounded<Sample>(new UnboundedChannelOptions { SingleReader = true });
    private readonly GroupJob _job;
    private readonly VotingService.VotingServiceClient _client;
    private readonly string _address;
    private readonly string _producer;
    private readonly RolloutStats _stats;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _retry;
    private int _finished;

    public GroupDelivery(GroupJob job, VotingService.VotingServiceClient client, string address, string producer, RolloutOptions options,
        RolloutStats stats, ILogger logger)
    {
        (_job, _client, _address, _producer, _stats, _logger) = (job, client, address, producer, stats, logger);
        _retry = options.VotingAttempts == 1 ? ResiliencePipeline.Empty : new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<RpcException>(e => e.StatusCode is StatusCode.Unavailable
                or StatusCode.ResourceExhausted or StatusCode.DeadlineExceeded),
            MaxRetryAttempts = options.VotingAttempts - 1,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.VotingRetryDelay,
        }).Build();
    }

    public int Delivered { get; private set; }

    /// <summary>Response tokens of the rows that finished (aborted rows excluded).</summary>
    public long GeneratedTokens { get; private set; }

    private TimeSpan _prefill, _decode;

    /// <summary>The group's timings: its queue time, its generator's prefill, its slowest row's decode, arrival to now.</summary>
    public Timings GroupTimings() => new()
    {
        Queue = Duration.FromTimeSpan(_job.Queued),
        Prefill = Duration.FromTimeSpan(_prefill),
        Decode = Duration.FromTimeSpan(_decode),
        Total = Duration.FromTimeSpan(_job.Age),
    };

    /// <summary>Called on the generator thread as row <paramref name="index"/> finishes; an aborted row is not sent.</summary>
    public void Post(int index, RowResult result)
    {
        if (result.Sequence.Finish != FinishReason.Aborted)
        {
            // Rows of one group finish on one generator thread, one at a time.
            GeneratedTokens += result.Sequence.TokenIds.Length;
            _prefill = result.Prefill;
            _decode = result.Decode > _decode ? result.Decode : _decode;
            _pending.Writer.TryWrite(ToSample(index, result));
        }
        if (Interlocked.Increment(ref _finished) == _job.GroupSize)
        {
            _pending.Writer.TryComplete();
        }
    }

    /// <summary>Ends the stream of samples early (the generator failed or the request was cancelled).</summary>
    public void Abandon() => _pending.Writer.TryComplete();

    /// <summary>Delivers samples until every row has finished; throws UNAVAILABLE (or the voting service's refusal) on failure.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await foreach (var sample in _pending.Reader.ReadAllAsync(cancellationToken))
        {
            await SendAsync(sample, cancellationToken);
            Delivered++;
            _stats.SampleDelivered();
        }
    }

    private async Task SendAsync(Sample sample, CancellationToken cancellationToken)
    {
        var tries = 0;
        try
        {
            await _retry.ExecuteAsync(async ct =>
            {
                var retrying = tries++ > 0;
                try
                {
                    using var call = _client.Submit(cancellationToken: ct);
                    await call.RequestStream.WriteAsync(new SubmitRequest { Sample = sample }, ct);
                    await call.RequestStream.CompleteAsync();
                    await call;
                }
                catch (RpcException e) when (retrying && e.StatusCode == StatusCode.InvalidArgument &&
                                             (e.Status.Detail.Contains("duplicate index", StringComparison.Ordinal) ||
                                              e.Status.Detail.Contains("already complete", StringComparison.Ordinal)))
                {
                    // An earlier try arrived; its reply was lost.
                }
                catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.ResourceExhausted or StatusCode.DeadlineExceeded)
                {
                    RolloutLog.VotingRetry(_logger, _address, sample.GroupId, sample.Attempt, sample.Index, tries, e.StatusCode.ToString());
                    throw;
                }
            }, cancellationToken);
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.ResourceExhausted or StatusCode.DeadlineExceeded)
        {
            throw new RpcException(new Status(StatusCode.Unavailable,
                $"voting service {_address}: sample {sample.Index} of group {sample.GroupId}#{sample.Attempt} not delivered after {tries} tries: {e.Status.Detail}"));
        }
        catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled)
        {
            throw new RpcException(new Status(StatusCode.Internal,
                $"voting service {_address} refused sample {sample.Index} of group {sample.GroupId}#{sample.Attempt}: {e.StatusCode} {e.Status.Detail}"));
        }
    }

    private Sample ToSample(int index, RowResult result)
    {
        var request = _job.Request;
        var s = result.Sequence;
        var sample = new Sample
        {
            GroupId = request.GroupId,
            Attempt = request.Attempt,
            Index = (uint)index,
            GroupSize = request.GroupSize,
            Prompt = request.Prompt,
            ResponseText = s.Text,
            FinishReason = s.Finish,
            WeightsVersion = _job.WeightsVersion,
            Sampling = _job.Applied,
            ProducerId = _producer,
            Timings = new Timings
            {
                Queue = Duration.FromTimeSpan(_job.Queued),
                Prefill = Duration.FromTimeSpan(result.Prefill),
                Decode = Duration.FromTimeSpan(result.Decode),
                Total = Duration.FromTimeSpan(_job.Age),
            },
        };
        sample.PromptTokenIds.AddRange(_job.Prompt.TokenIds);
        sample.ResponseTokenIds.AddRange(s.TokenIds);
        sample.BehaviourLogprobs.AddRange(s.LogProbs);
        return sample;
    }
}
