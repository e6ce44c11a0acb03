using System.Runtime.CompilerServices;
using Grpc.Core;
using Grpc.Net.Client;
using MmUpt.Hosting.Security;
using Microsoft.Extensions.Logging;
using MmUpt.Contracts.V1;

namespace MmUpt.Learner.Sources;

/// <summary>
/// Scored groups from the voting service: <c>Subscribe</c> as consumer <c>consumer</c>, re-subscribing after a broken
/// stream (the service redelivers what was not acknowledged), and <c>Acknowledge</c> after the step.
/// </summary>
public sealed class VotingGroupSource(string address, string consumer, ChannelFactory channels, ILogger<VotingGroupSource> logger)
    : IScoredGroupSource, IDisposable
{
    private readonly GrpcChannel _channel = channels.Create(address);

    private VotingService.VotingServiceClient Client => new(_channel);

    public async IAsyncEnumerable<ScoredGroup> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var call = Client.Subscribe(new SubscribeRequest { Consumer = consumer }, cancellationToken: cancellationToken);
            var stream = call.ResponseStream.ReadAllAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
            while (true)
            {
                ScoredGroup? next = null;
                try
                {
                    if (await stream.MoveNextAsync()) next = stream.Current;
                }
                catch (RpcException ex) when (ex.StatusCode != StatusCode.Cancelled)
                {
                    LearnerLog.SubscriptionBroken(logger, address, ex.Status.Detail);
                }
                if (next is null) break;
                yield return next;
            }
            await stream.DisposeAsync();
            call.Dispose();
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }

    public async Task AcknowledgeAsync(IReadOnlyList<GroupKey> groups, CancellationToken cancellationToken)
    {
        if (groups.Count == 0) return;
        var request = new AcknowledgeRequest { Consumer = consumer };
        request.Groups.AddRange(groups);
        await Client.AcknowledgeAsync(request, cancellationToken: cancellationToken);
    }

    public void Dispose() => _channel.Dispose();
}
