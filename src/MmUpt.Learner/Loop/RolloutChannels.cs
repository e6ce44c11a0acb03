using System.Collections.Concurrent;
using Grpc.Net.Client;
using MmUpt.Contracts.V1;

namespace MmUpt.Learner.Loop;

/// <summary>One gRPC channel per replica address, kept for the run (channels reconnect by themselves).</summary>
public sealed class RolloutChannels : IDisposable
{
    private readonly ConcurrentDictionary<string, GrpcChannel> _channels = new(StringComparer.Ordinal);

    public RolloutService.RolloutServiceClient For(string address) =>
        new(_channels.GetOrAdd(address, a => GrpcChannel.ForAddress(a, new GrpcChannelOptions
        {
            MaxReceiveMessageSize = 64 * 1024 * 1024,
            MaxSendMessageSize = 64 * 1024 * 1024,
        })));

    public void Dispose()
    {
        foreach (var c in _channels.Values) c.Dispose();
    }
}
