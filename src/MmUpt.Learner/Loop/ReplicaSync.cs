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
            var pending = replicas.NeedingSync(Version);
            var done = await Task.WhenAll(pending.Select(r => SyncOneAsync(r, cancellationToken)));
            return done.Count(ok => ok);
        }
        finally
        {
            _gate.Release();
        }
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
            replicas.Raise($"replica {replica.Address}: sync to v{current?.Version ?? 0} failed: {replicas.Describe(ex)}");
            return false;
        }
    }
}
