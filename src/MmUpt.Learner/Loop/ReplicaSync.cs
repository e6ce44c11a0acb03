using Grpc.Core;
using MmUpt.Contracts.V1;
using MmUpt.Training.Dispatch;

namespace MmUpt.Learner.Loop;

/// <summary>
/// Brings replicas to the current weights version with <c>SyncWeights</c>, through each replica's circuit breaker (the
/// sync of a replica that was down is the probe that lets it serve again). Syncs of different replicas run in
/// parallel; one sync pass at a time.
/// </summary>
public sealed class ReplicaSync(ReplicaSet replicas, RolloutChannels channels, TimeSpan deadline)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, (ulong Version, DateTime At)> _refused = new(StringComparer.Ordinal);

    /// <summary>A replica that refused a version is not asked again for that version for this long.</summary>
    public static readonly TimeSpan RefusalBackoff = TimeSpan.FromSeconds(2);

    /// <summary>The announcement replicas are synced to; null before the first publish (replicas serve the base weights).</summary>
    public SyncWeightsRequest? Current { get; private set; }

    public ulong Version => Current?.Version ?? 0;

    public void Announce(SyncWeightsRequest announcement) => Current = announcement;

    /// <summary>Syncs every replica that is new, came back, or serves an older version; returns how many were synced.</summary>
    public async Task<int> SyncAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = DateTime.UtcNow;
            var pending = replicas.NeedingSync(Version)
                .Where(r => !_refused.TryGetValue(r.Address, out var f) || f.Version != Version || now - f.At > RefusalBackoff).ToList();
            var done = await Task.WhenAll(pending.Select(r => SyncOneAsync(r, cancellationToken)));
            return done.Count(ok => ok);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The highest weights version any replica serves now (0 when none answers). A new run's first version must exceed
    /// it: a replica only moves forward, so one still serving a version of an earlier run would refuse a lower number.
    /// </summary>
    public async Task<ulong> HighestActiveAsync(CancellationToken cancellationToken)
    {
        var versions = await Task.WhenAll(replicas.Snapshot().Select(async r =>
        {
            try
            {
                var status = await channels.For(r.Address).GetStatusAsync(new GetRolloutStatusRequest(), deadline: DateTime.UtcNow + deadline, cancellationToken: cancellationToken);
                return status.ActiveWeightsVersion;
            }
            catch (RpcException)
            {
                return 0UL;
            }
        }));
        return versions.DefaultIfEmpty(0UL).Max();
    }

    private async Task<bool> SyncOneAsync(Replica replica, CancellationToken cancellationToken)
    {
        var current = Current;
        try
        {
            await replica.Pipeline.ExecuteAsync(async ct =>
            {
                var client = channels.For(replica.Address);
                if (current is null)
                {
                    // Nothing published yet: the replica only has to be up and serve the base weights.
                    await client.GetStatusAsync(new GetRolloutStatusRequest(), deadline: DateTime.UtcNow + deadline, cancellationToken: ct);
                    return;
                }
                await client.SyncWeightsAsync(current, deadline: DateTime.UtcNow + deadline, cancellationToken: ct);
            }, cancellationToken);
            replicas.MarkSynced(replica, current?.Version ?? 0);
            return true;
        }
        catch (Exception ex) when (ex is RpcException or Polly.CircuitBreaker.BrokenCircuitException || GrpcFaults.IsReplicaFault(ex))
        {
            replicas.MarkFailed(replica, ex);
            lock (_refused) _refused[replica.Address] = (current?.Version ?? 0, DateTime.UtcNow);
            replicas.Raise($"replica {replica.Address}: sync to v{current?.Version ?? 0} failed: {replicas.Describe(ex)}");
            return false;
        }
    }
}
