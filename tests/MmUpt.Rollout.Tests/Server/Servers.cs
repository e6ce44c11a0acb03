using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MmUpt.Contracts.V1;
using MmUpt.Hosting;
using MmUpt.Hosting.Security;
using MmUpt.Testing;
using MmUpt.Voting;

namespace MmUpt.Rollout.Tests.Server;

/// <summary>A real voting server and a real rollout worker on loopback port 0, with clients of both.</summary>
internal sealed class Servers : IAsyncDisposable
{
    private readonly WebApplication _voting;
    private readonly WebApplication _rollout;
    private readonly GrpcChannel _votingChannel;
    private readonly GrpcChannel _rolloutChannel;

    private Servers(WebApplication voting, WebApplication rollout, string votingAddress, string rolloutAddress, ChannelFactory channels)
    {
        (_voting, _rollout) = (voting, rollout);
        VotingAddress = votingAddress;
        _votingChannel = GrpcChannel.ForAddress(votingAddress);
        _rolloutChannel = channels.Create(rolloutAddress);
        Voting = new VotingService.VotingServiceClient(_votingChannel);
        Rollout = new RolloutService.RolloutServiceClient(_rolloutChannel);
    }

    public string VotingAddress { get; }
    public VotingService.VotingServiceClient Voting { get; }
    public RolloutService.RolloutServiceClient Rollout { get; }

    /// <summary>The metrics ports of the voting service and the worker; 0 unless started with metrics.</summary>
    public (int Voting, int Rollout) MetricsPorts { get; private init; }

    /// <param name="security">the worker's credentials (it then serves TLS when they hold a certificate; the test's client uses them too)</param>
    public static async Task<Servers> StartAsync(string model, Action<RolloutOptions>? configure = null, bool metrics = false,
        SecurityOptions? security = null)
    {
        var ports = metrics && MetricsScrape.FreePorts(2) is var free ? (free[0], free[1]) : (0, 0);
        var voting = VotingServer.Build(new ServerOptions { Port = 0, MetricsPort = ports.Item1 }, new VotingOptions());
        await voting.StartAsync();
        var votingAddress = Address(voting);
        var options = new RolloutOptions { Model = model, VotingAddress = votingAddress, DefaultMaxNewTokens = 16 };
        configure?.Invoke(options);
        security ??= new SecurityOptions();
        var rollout = RolloutServer.Build(new ServerOptions { Port = 0, Id = "rollout-test", MetricsPort = ports.Item2 }, security, options);
        await rollout.StartAsync();
        var rolloutAddress = Address(rollout).Replace("http://", security.Tls ? "https://" : "http://");
        return new Servers(voting, rollout, votingAddress, rolloutAddress, new ChannelFactory(security)) { MetricsPorts = ports };
    }

    private static string Address(WebApplication app) => $"http://127.0.0.1:{GrpcServerHost.GrpcPort(app)}";

    /// <summary>The next <paramref name="count"/> scored groups from the voting service, acknowledged.</summary>
    public async Task<List<ScoredGroup>> ScoredAsync(int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var call = Voting.Subscribe(new SubscribeRequest { Consumer = "test" }, cancellationToken: timeout.Token);
        var groups = new List<ScoredGroup>();
        while (groups.Count < count && await call.ResponseStream.MoveNext(timeout.Token))
        {
            groups.Add(call.ResponseStream.Current);
        }
        var ack = new AcknowledgeRequest { Consumer = "test" };
        ack.Groups.AddRange(groups.Select(g => new GroupKey { GroupId = g.GroupId, Attempt = g.Attempt }));
        await Voting.AcknowledgeAsync(ack);
        return groups;
    }

    /// <summary>
    /// Polls the worker's status until <paramref name="done"/> holds; fails after one minute with the last status, so a
    /// bug fails where it happens instead of hanging or failing later for a misleading reason.
    /// </summary>
    public async Task<RolloutStatus> WaitForStatusAsync(Func<RolloutStatus, bool> done)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            var status = await Rollout.GetStatusAsync(new GetRolloutStatusRequest());
            if (done(status))
            {
                return status;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the worker's status never met the condition in a minute; last: {status}");
            }
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _rolloutChannel.Dispose();
        _votingChannel.Dispose();
        await _rollout.StopAsync();
        await _rollout.DisposeAsync();
        await _voting.StopAsync();
        await _voting.DisposeAsync();
    }
}
