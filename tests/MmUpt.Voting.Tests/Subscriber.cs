using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using MmUpt.Contracts.V1;

namespace MmUpt.Voting.Tests;

/// <summary>One Subscribe stream; reads groups with a generous guard so a missing delivery fails instead of hanging.</summary>
internal sealed class Subscriber : IDisposable
{
    private readonly AsyncServerStreamingCall<ScoredGroup> _call;
    private readonly CancellationTokenSource _cancel = new(TimeSpan.FromMinutes(1));

    public Subscriber(VotingService.VotingServiceClient client, string consumer, uint maxUnacknowledged = 0, TimeSpan? ackDeadline = null) =>
        _call = client.Subscribe(new SubscribeRequest
        {
            Consumer = consumer,
            MaxUnacknowledged = maxUnacknowledged,
            AckDeadline = ackDeadline is { } d ? Duration.FromTimeSpan(d) : null,
        }, cancellationToken: _cancel.Token);

    public async Task<List<ScoredGroup>> ReadAsync(int count)
    {
        var groups = new List<ScoredGroup>();
        while (groups.Count < count && await _call.ResponseStream.MoveNext(_cancel.Token))
        {
            groups.Add(_call.ResponseStream.Current);
        }
        return groups;
    }

    /// <summary>Reads until the stream ends; returns the status it ended with (OK for a clean end).</summary>
    public async Task<Status> DrainAsync()
    {
        try
        {
            while (await _call.ResponseStream.MoveNext(_cancel.Token))
            {
            }
            return _call.GetStatus();
        }
        catch (RpcException ex)
        {
            return ex.Status;
        }
    }

    /// <summary>Drops the stream as a crashed learner would: nothing acknowledged.</summary>
    public void Dispose()
    {
        _cancel.Cancel();
        _call.Dispose();
        _cancel.Dispose();
    }
}
