using Grpc.Core;
using MmUpt.Contracts.V1;

namespace MmUpt.Voting.Tests;

/// <summary>One Subscribe stream; reads groups with a generous guard so a missing delivery fails instead of hanging.</summary>
internal sealed class Subscriber : IDisposable
{
    private readonly AsyncServerStreamingCall<ScoredGroup> _call;
    private readonly CancellationTokenSource _cancel = new(TimeSpan.FromMinutes(1));

    public Subscriber(VotingService.VotingServiceClient client, string consumer, uint maxUnacknowledged = 0) =>
        _call = client.Subscribe(new SubscribeRequest { Consumer = consumer, MaxUnacknowledged = maxUnacknowledged },
            cancellationToken: _cancel.Token);

    public async Task<List<ScoredGroup>> ReadAsync(int count)
    {
        var groups = new List<ScoredGroup>();
        while (groups.Count < count && await _call.ResponseStream.MoveNext(_cancel.Token))
        {
            groups.Add(_call.ResponseStream.Current);
        }
        return groups;
    }

    /// <summary>Drops the stream as a crashed learner would: nothing acknowledged.</summary>
    public void Dispose()
    {
        _cancel.Cancel();
        _call.Dispose();
        _cancel.Dispose();
    }
}
