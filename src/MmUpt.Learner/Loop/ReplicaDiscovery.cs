using System.Net;
using MmUpt.Training.Dispatch;

namespace MmUpt.Learner.Loop;

/// <summary>
/// Keeps the replica set equal to the configured addresses plus what the DNS name resolves to now, every
/// <see cref="ReplicaOptions.ResolveInterval"/>. A failed resolution keeps the last membership (DNS hiccups must not
/// empty the set).
/// </summary>
public sealed class ReplicaDiscovery(ReplicaSet replicas, ReplicaOptions options)
{
    public async Task<IReadOnlyList<string>> RefreshAsync(CancellationToken cancellationToken)
    {
        var addresses = new List<string>(options.Addresses);
        if (!string.IsNullOrWhiteSpace(options.Dns) && DnsTarget.TryParse(options.Dns, out var target))
        {
            try
            {
                var ips = await Dns.GetHostAddressesAsync(target.Host, cancellationToken);
                addresses.AddRange(ips.Select(target.AddressOf));
            }
            catch (System.Net.Sockets.SocketException)
            {
                return [.. replicas.Snapshot().Select(r => r.Address)];
            }
        }
        replicas.SetMembers(addresses);
        return addresses;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(options.Dns)) return;
        using var timer = new PeriodicTimer(options.ResolveInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken)) await RefreshAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
