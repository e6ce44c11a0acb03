using System.Net;
using MmUpt.Training.Dispatch;

namespace MmUpt.Learner.Loop;

/// <summary>
/// Keeps the replica set equal to the configured addresses plus what the DNS name resolves to and the membership file
/// lists now, every <see cref="ReplicaOptions.ResolveInterval"/>. A failed resolution or an unreadable file keeps the
/// last membership (DNS hiccups and half-written files must not empty the set).
/// </summary>
public sealed class ReplicaDiscovery(ReplicaSet replicas, ReplicaOptions options)
{
    private readonly ReplicaFile? _file = string.IsNullOrWhiteSpace(options.File) ? null : new ReplicaFile(options.File, replicas.Raise);

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
                return Unchanged();
            }
        }
        if (_file is not null)
        {
            if (_file.Read() is not { } listed) return Unchanged();
            addresses.AddRange(listed);
        }
        addresses = [.. addresses.Distinct(StringComparer.Ordinal)];
        replicas.SetMembers(addresses);
        return addresses;
    }

    private List<string> Unchanged() => [.. replicas.Snapshot().Select(r => r.Address)];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(options.Dns) && _file is null) return;
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
