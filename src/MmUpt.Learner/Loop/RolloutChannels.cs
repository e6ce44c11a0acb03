using System.Collections.Concurrent;
using Grpc.Net.Client;
using MmUpt.Contracts.V1;
using MmUpt.Hosting.Security;

namespace MmUpt.Learner.Loop;

/// <summary>
/// One gRPC channel per replica address, kept for the run (channels reconnect by themselves). Replicas found by DNS are
/// dialled by IP: over TLS their certificates must then name <paramref name="dnsName"/>, the name that was resolved.
/// </summary>
public sealed class RolloutChannels(ChannelFactory factory, string? dnsName = null) : IDisposable
{
    private readonly ConcurrentDictionary<string, GrpcChannel> _channels = new(StringComparer.Ordinal);

    public RolloutService.RolloutServiceClient For(string address) =>
        new(_channels.GetOrAdd(address, a =>
        {
            var uri = new Uri(a);
            var byIp = uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6;
            return factory.Create(uri, serverName: byIp ? dnsName : null);
        }));

    public void Dispose()
    {
        foreach (var c in _channels.Values) c.Dispose();
    }
}
