using System.Collections.Concurrent;
using Grpc.Net.Client;
using MmUpt.Hosting.Security;
using MmUpt.Contracts.V1;

namespace MmUpt.Rollout.Delivery;

/// <summary>One HTTP/2 channel per voting service address, shared by every request of the process, with the process's credentials.</summary>
public sealed class VotingClients(ChannelFactory channels) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<GrpcChannel>> _channels = new();

    public VotingService.VotingServiceClient For(string address) =>
        new(_channels.GetOrAdd(address, a => new Lazy<GrpcChannel>(() => channels.Create(a))).Value);

    public void Dispose()
    {
        foreach (var channel in _channels.Values.Where(c => c.IsValueCreated))
        {
            channel.Value.Dispose();
        }
    }
}
