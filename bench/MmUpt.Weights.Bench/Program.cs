// Publish time per weights version for the `mmupt init` presets: the snapshot copy (the only part that holds training
// up), writing the data files, hashing + syncing + renaming; and a loopback gRPC download of the version. Median of 5
// versions after one warm-up; the model is CPU fp32, as the learner's master weights.
using System.Diagnostics;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using MmUpt.Contracts.V1;
using MmUpt.Hosting;
using MmUpt.Learner.Publishing;
using MmUpt.Model;
using MmUpt.Onnx.Qwen25VL;
using MmUpt.Presets;
using MmUpt.Weights;

const int Runs = 5;
var root = Path.Combine(Path.GetTempPath(), $"mmupt-weights-bench-{Environment.ProcessId}");
// Other work on the machine shows in every column: the load average is printed before and after.
Console.WriteLine($"torch threads {TorchSharp.torch.get_num_threads()}, folder {root}, load average {LoadAverage()}");
Console.WriteLine($"{"preset",-7} {"params",11} {"dtype",5} {"version MB",10} {"snapshot ms",11} {"write ms",9} {"hash+seal ms",12} {"publish ms",10} {"download ms",11} {"download MB/s",13}");
foreach (var preset in CheckpointPreset.All)
{
    var hf = Path.Combine(root, preset.Name, "hf");
    CheckpointInitializer.Write(preset, hf, seed: 1);
    using var model = Qwen25VLModel.FromPretrained(hf, ModelOptions.CpuFloat32);
    var architecture = model.Config;
    var parameters = model.parameters().Sum(p => p.numel());
    foreach (var dtype in new[] { "fp32", "bf16" })
    {
        var store = new WeightsStore(Path.Combine(root, preset.Name, $"learner-{dtype}"));
        var publisher = new WeightsPublisher(store, architecture, new WeightsPublishingOptions { Dtype = dtype });
        await publisher.Publish(model, 0);
        var runs = new List<PublishedWeights>();
        for (var i = 1; i <= Runs; i++)
        {
            runs.Add(await publisher.Publish(model, (ulong)i));
        }
        var downloadMs = await DownloadMs(store, Path.Combine(root, preset.Name, $"rollout-{dtype}"));
        var bytes = runs[0].Bytes;
        double Median(Func<PublishedWeights, TimeSpan> part) => runs.Select(r => part(r).TotalMilliseconds).Order().ElementAt(Runs / 2);
        Console.WriteLine($"{preset.Name,-7} {parameters,11:N0} {dtype,5} {bytes / 1e6,10:F2} {Median(r => r.Snapshot),11:F1} {Median(r => r.Write),9:F1} " +
            $"{Median(r => r.Seal),12:F1} {Median(r => r.Snapshot + r.Write + r.Seal),10:F1} {downloadMs,11:F1} {bytes / 1e3 / downloadMs,13:F0}");
    }
}
Directory.Delete(root, recursive: true);
Console.WriteLine($"load average {LoadAverage()}");

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

// Median of Runs downloads of the newest version into fresh local stores, over a real Kestrel server on loopback.
static async Task<double> DownloadMs(WeightsStore store, string localRoot)
{
    var app = GrpcServerHost.Build(ProcessRole.Learner, new ServerOptions { Port = 0 }, "",
        services => services.AddSingleton(store), a => a.MapGrpcService<WeightsGrpcService>());
    await app.StartAsync();
    var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    using var channel = GrpcChannel.ForAddress(address);
    var downloader = new WeightsDownloader(new WeightsService.WeightsServiceClient(channel));
    var times = new List<double>();
    for (var i = 0; i <= Runs; i++)
    {
        var clock = Stopwatch.StartNew();
        await downloader.DownloadAsync(0, new WeightsStore(Path.Combine(localRoot, $"{i}")));
        if (i > 0)
        {
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
    }
    await app.StopAsync();
    await app.DisposeAsync();
    return times.Order().ElementAt(Runs / 2);
}
