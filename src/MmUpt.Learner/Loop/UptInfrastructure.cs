using Microsoft.Extensions.Logging;
using MmUpt.Contracts.V1;
using MmUpt.Hosting.Security;
using MmUpt.Training.Collect;
using MmUpt.Training.Dispatch;
using MmUpt.Training.Loop;

namespace MmUpt.Learner.Loop;

/// <summary>
/// What UPT stages need beyond the learner, started by the first UPT stage of a run and shared by the rest: the replica
/// set (addresses and the re-resolved DNS name), one channel per replica, the sync of weights versions, the collector
/// and the voting service subscription.
/// </summary>
public sealed class UptInfrastructure : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly VotingFeed _feed;
    private readonly ReplicaDiscovery _discovery;
    private Task _background = Task.CompletedTask;

    public ReplicaSet Replicas { get; }
    public RolloutChannels Channels { get; }
    public ReplicaSync Sync { get; }
    public StalenessPolicy Staleness { get; }
    public GroupCollector Collector { get; }
    public GroupDispatcher<GenerateResponse> Dispatcher { get; }

    private UptInfrastructure(TrainOptions options, ChannelFactory channels, ILogger logger)
    {
        Channels = new RolloutChannels(channels, DnsTarget.TryParse(options.Replicas.Dns, out var dns) ? dns.Host : null);
        Replicas = new ReplicaSet(options.Replicas, GrpcFaults.IsReplicaFault, GrpcFaults.IsBehind) { Describe = GrpcFaults.Describe };
        Replicas.Event += line => LoopLog.Replica(logger, line);
        Sync = new ReplicaSync(Replicas, Channels, options.Replicas.CallDeadline);
        Staleness = new StalenessPolicy(options.Mode, options.MaxStaleness);
        Collector = new GroupCollector(Staleness, () => Sync.Version, line => LoopLog.Replica(logger, line));
        Dispatcher = new GroupDispatcher<GenerateResponse>(Replicas, options.Replicas, async ct => await Sync.SyncAsync(ct));
        _discovery = new ReplicaDiscovery(Replicas, options.Replicas);
        _feed = new VotingFeed(options.Voting, channels, Collector.Offer, line => LoopLog.Replica(logger, line));
    }

    /// <summary>Resolves the replicas once (so the first step has them) and subscribes to the voting service.</summary>
    public static async Task<UptInfrastructure> StartAsync(TrainOptions options, ChannelFactory channels, ILogger logger, CancellationToken cancellationToken)
    {
        var infrastructure = new UptInfrastructure(options, channels, logger);
        await infrastructure._discovery.RefreshAsync(cancellationToken);
        infrastructure._background = Task.WhenAll(infrastructure._discovery.RunAsync(infrastructure._stop.Token),
            infrastructure._feed.RunAsync(infrastructure._stop.Token));
        return infrastructure;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _background;
        }
        catch (OperationCanceledException)
        {
        }
        _feed.Dispose();
        Channels.Dispose();
        _stop.Dispose();
    }
}
