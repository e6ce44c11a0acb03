using System.Collections.Concurrent;
using Grpc.Core;
using MmUpt.Contracts.V1;
using MmUpt.Learner.Publishing;
using Xunit.Abstractions;

namespace MmUpt.Weights.Tests.Acceptance;

/// <summary>Rollout workers downloading "the newest version" while the learner keeps publishing and pruning.</summary>
[Collection(LiveLearnerCollection.Name)]
public sealed class ConcurrentPublishingTests(LiveLearner learner, ITestOutputHelper output)
{
    private const int Readers = 2;
    private const int MinVersions = 6;
    private const int MaxVersions = 60;

    [Fact]
    public async Task Downloads_during_publishing_only_ever_see_complete_versions()
    {
        var store = new WeightsStore(learner.NewFolder("learner"), keepVersions: 2);
        await using var server = await WeightsTestServer.StartAsync(store);
        var publisher = learner.Publisher(store);
        var published = new ConcurrentDictionary<ulong, WeightsManifest>();
        var first = await publisher.Publish(learner.Model, step: 0);
        published[first.Manifest.Version] = first.Manifest;

        using var stop = new CancellationTokenSource();
        var downloads = new ConcurrentBag<WeightsManifest>();
        var gone = 0;
        async Task Read(int reader)
        {
            var downloader = server.Downloader(chunkBytes: 8192);
            while (!stop.IsCancellationRequested)
            {
                var local = new WeightsStore(learner.NewFolder($"reader{reader}"));
                try
                {
                    var v = await downloader.DownloadAsync(0, local);
                    local.Verify(v.Number);
                    downloads.Add(v.Manifest);
                }
                catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
                {
                    // Pruned between the manifest and a file: allowed, never a half-written version.
                    Interlocked.Increment(ref gone);
                }
            }
        }
        var readers = Enumerable.Range(0, Readers).Select(r => Task.Run(() => Read(r))).ToArray();

        // Publish until the readers have completed several downloads meanwhile (progress, not time, decides).
        var step = 1ul;
        for (; step < MaxVersions && (step <= MinVersions || downloads.Count < 3 * Readers); step++)
        {
            learner.Perturb(seed: 100 + (long)step, scale: 0.01);
            var p = await publisher.Publish(learner.Model, step);
            published[p.Manifest.Version] = p.Manifest;
        }
        await stop.CancelAsync();
        await Task.WhenAll(readers).WaitAsync(TimeSpan.FromMinutes(5));

        output.WriteLine($"{step} versions published, {downloads.Count} downloads completed, {gone} found their version pruned");
        Assert.True(downloads.Count >= 3 * Readers, $"only {downloads.Count} downloads completed while {step} versions were published");
        foreach (var manifest in downloads)
        {
            Assert.Equal(published[manifest.Version], manifest);
        }
        Assert.Equal([step - 1, step], store.Versions());
    }
}
