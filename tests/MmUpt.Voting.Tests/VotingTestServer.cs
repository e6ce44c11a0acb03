using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MmUpt.Contracts.V1;
using MmUpt.Hosting;

namespace MmUpt.Voting.Tests;

/// <summary>A real voting server on loopback port 0 and a real gRPC client.</summary>
internal sealed class VotingTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly GrpcChannel _channel;
    private bool _stopped;

    private VotingTestServer(WebApplication app, GrpcChannel channel)
    {
        _app = app;
        _channel = channel;
        Client = new VotingService.VotingServiceClient(channel);
    }

    public VotingService.VotingServiceClient Client { get; }

    public GrpcChannel Channel => _channel;

    public IServiceProvider Services => _app.Services;

    public static async Task<VotingTestServer> StartAsync(VotingOptions? options = null, ServerOptions? server = null)
    {
        var app = VotingServer.Build(server ?? new ServerOptions { Port = 0 }, options ?? new VotingOptions());
        await app.StartAsync();
        return new VotingTestServer(app, GrpcChannel.ForAddress($"http://127.0.0.1:{GrpcServerHost.GrpcPort(app)}"));
    }

    /// <summary>Streams the samples in one Submit call; returns the reply, or the status the call failed with.</summary>
    public Task<(SubmitResponse? Response, Status Status)> SubmitAsync(params Sample[] samples) => SubmitAsync(Client, samples);

    public static async Task<(SubmitResponse? Response, Status Status)> SubmitAsync(VotingService.VotingServiceClient client, params Sample[] samples)
    {
        using var call = client.Submit();
        try
        {
            foreach (var s in samples)
            {
                await call.RequestStream.WriteAsync(new SubmitRequest { Sample = s });
            }
            await call.RequestStream.CompleteAsync();
        }
        catch (RpcException)
        {
            // The server ended the call early; its status comes with the response below.
        }
        catch (InvalidOperationException)
        {
            // Writing after the call finished: same.
        }
        try
        {
            return (await call.ResponseAsync, Status.DefaultSuccess);
        }
        catch (RpcException ex)
        {
            return (null, ex.Status);
        }
    }

    public Task<VotingStatus> StatusAsync() => Client.GetStatusAsync(new GetVotingStatusRequest()).ResponseAsync;

    public Task<AcknowledgeResponse> AcknowledgeAsync(params ScoredGroup[] groups) =>
        Client.AcknowledgeAsync(new AcknowledgeRequest
        {
            Consumer = "learner",
            Groups = { groups.Select(g => new GroupKey { GroupId = g.GroupId, Attempt = g.Attempt }) },
        }).ResponseAsync;

    /// <summary>Polls GetStatus until <paramref name="done"/> holds; a minute at most, so a bug fails instead of hanging.</summary>
    public async Task<VotingStatus> WaitForStatusAsync(Func<VotingStatus, bool> done)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            var status = await StatusAsync();
            if (done(status) || DateTime.UtcNow > deadline)
            {
                return status;
            }
            await Task.Delay(100);
        }
    }

    /// <summary>Stops the host as SIGTERM does (open calls end, the log is closed).</summary>
    public async Task StopAsync()
    {
        _stopped = true;
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        if (!_stopped)
        {
            await StopAsync();
        }
    }
}
