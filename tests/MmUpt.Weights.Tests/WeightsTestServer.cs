using Grpc.AspNetCore.Server;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using MmUpt.Contracts.V1;
using MmUpt.Hosting;

namespace MmUpt.Weights.Tests;

/// <summary>A real Kestrel server on a loopback port serving a store through WeightsGrpcService (plus the fault injector).</summary>
public sealed class WeightsTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly GrpcChannel _channel;

    private WeightsTestServer(WebApplication app, GrpcChannel channel, FaultInjector faults)
    {
        _app = app;
        _channel = channel;
        Faults = faults;
        Client = new WeightsService.WeightsServiceClient(channel);
    }

    public WeightsService.WeightsServiceClient Client { get; }

    public FaultInjector Faults { get; }

    public static async Task<WeightsTestServer> StartAsync(WeightsStore store)
    {
        var faults = new FaultInjector();
        var app = GrpcServerHost.Build(ProcessRole.Learner, new ServerOptions { Port = 0 }, "",
            services =>
            {
                services.AddSingleton(store);
                services.AddSingleton(faults);
                services.Configure<GrpcServiceOptions>(o => o.Interceptors.Add<FaultInjector>());
            },
            app => app.MapGrpcService<WeightsGrpcService>());
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new WeightsTestServer(app, GrpcChannel.ForAddress(address), faults);
    }

    /// <summary>A downloader with fast retries (the delays are not what is tested).</summary>
    public WeightsDownloader Downloader(int chunkBytes = 64 * 1024, int integrityRetries = 1) => new(Client, new WeightsDownloaderOptions
    {
        ChunkBytes = chunkBytes,
        RetryDelay = TimeSpan.FromMilliseconds(10),
        IntegrityRetries = integrityRetries,
    });

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
