using Grpc.Core;
using Grpc.Net.Client;
using MmUpt.Contracts.V1;
using MmUpt.Hosting.Security;

namespace MmUpt.Learner.Loop;

/// <summary>
/// The learner's subscription to scored groups: <c>Subscribe</c> as consumer <see cref="Consumer"/>, hand each group
/// to <c>onGroup</c>, acknowledge it (the step loop's ledger holds it from then on; duplicates and strangers are
/// acknowledged too, so the voting service never redelivers them), resubscribe after a broken stream.
/// </summary>
public sealed class VotingFeed(string address, ChannelFactory channels, Action<ScoredGroup> onGroup, Action<string> onEvent) : IDisposable
{
    public const string Consumer = "learner";

    private readonly GrpcChannel _channel = channels.Create(address, maxMessageBytes: 256 * 1024 * 1024);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var client = new VotingService.VotingServiceClient(_channel);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var call = client.Subscribe(new SubscribeRequest { Consumer = Consumer, MaxUnacknowledged = 256 }, cancellationToken: cancellationToken);
                await foreach (var group in call.ResponseStream.ReadAllAsync(cancellationToken))
                {
                    onGroup(group);
                    var ack = new AcknowledgeRequest { Consumer = Consumer };
                    ack.Groups.Add(new GroupKey { GroupId = group.GroupId, Attempt = group.Attempt });
                    await client.AcknowledgeAsync(ack, cancellationToken: cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException ex)
            {
                onEvent($"voting stream at {address} broke ({ex.Status.StatusCode}: {ex.Status.Detail}); resubscribing");
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    public void Dispose() => _channel.Dispose();
}
