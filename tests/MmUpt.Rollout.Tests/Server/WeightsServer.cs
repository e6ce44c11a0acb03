using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using MmUpt.Contracts.V1;
using MmUpt.Hosting;
using MmUpt.Hosting.Security;
using MmUpt.Weights;

namespace MmUpt.Rollout.Tests.Server;

/// <summary>
/// The learner's side of a download: a <see cref="WeightsStore"/> served by the real <see cref="WeightsGrpcService"/>
/// on a loopback Kestrel port, with versions published from an export's <c>*.onnx.data</c> files.
/// </summary>
internal sealed class WeightsServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WeightsServer(WebApplication app, WeightsStore store, string address) => (_app, Store, Address) = (app, store, address);

    public WeightsStore Store { get; }

    /// <summary>"http://127.0.0.1:PORT" ("https://" with TLS).</summary>
    public string Address { get; }

    public static async Task<WeightsServer> StartAsync(string storeFolder, SecurityOptions? security = null)
    {
        var store = new WeightsStore(storeFolder);
        var app = GrpcServerHost.Build(ProcessRole.Learner, new ServerOptions { Port = 0 }, security ?? new SecurityOptions(), "",
            services => services.AddSingleton(store),
            app => app.MapGrpcService<WeightsGrpcService>());
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new WeightsServer(app, store, address);
    }

    /// <summary>Publishes <paramref name="export"/>'s data files as the next version; returns the request a learner would send.</summary>
    public SyncWeightsRequest Publish(string export, ulong step)
    {
        var version = Store.Publish(step, staging =>
        {
            foreach (var file in Directory.EnumerateFiles(export, "*.onnx.data"))
            {
                File.Copy(file, Path.Combine(staging, Path.GetFileName(file)));
            }
        }).Version;
        return new SyncWeightsRequest
        {
            Version = version.Number,
            Step = step,
            Source = Address,
            SizeBytes = (ulong)version.TotalBytes,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(version.Folder, WeightsStore.ManifestFileName)))),
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
