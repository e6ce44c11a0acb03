using Grpc.Core;
using MmUpt.Contracts.V1;
using MmUpt.Rollout.Tests.Engine;

namespace MmUpt.Rollout.Tests.Server;

/// <summary>SyncWeights on version folders of a shared path: swap under load, and damaged versions rejected.</summary>
public sealed class WeightsSyncTests(ServedModels models) : IClassFixture<ServedModels>
{
    private static GenerateRequest Greedy(string id, int maxNew = 12)
    {
        var r = Requests.Text(id, g: 1, maxNew: maxNew);
        r.Sampling.TopK = 1;
        return r;
    }

    [Fact]
    public async Task A_new_version_serves_new_requests_while_in_flight_ones_finish_on_the_old_one()
    {
        await using var servers = await Servers.StartAsync(models.Folder, o => o.MaxConcurrentGenerators = 2);
        var prompt = Greedy("x").Prompt.Text;
        var expectedOld = ServedModels.Greedy(models.Folder, prompt, 12);
        var expectedNew = ServedModels.Greedy(models.OtherFolder, prompt, 12);
        // Random-init models may agree on the greedy tokens; their log-probs tell the weights apart.
        Assert.Contains(expectedOld.LogProbs.Zip(expectedNew.LogProbs), p => Math.Abs(p.First - p.Second) > 1e-3);

        // Load: a stream of requests keeps both generators busy across the swap.
        // Each worker goes on until the load is stopped and it has served one request that started after the swap.
        using var stopLoad = new CancellationTokenSource();
        var swapped = 0;
        var load = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            var served = new List<ulong>();
            var servedAfterSwap = false;
            for (var i = 0; !stopLoad.IsCancellationRequested || !servedAfterSwap; i++)
            {
                var startedAfterSwap = Volatile.Read(ref swapped) == 1;
                var response = await servers.Rollout.GenerateAsync(Requests.Text($"load{worker}-{i}", g: 4, maxNew: 24));
                Assert.Equal(4u, response.SamplesDelivered);
                served.Add(response.WeightsVersion);
                servedAfterSwap |= startedAfterSwap;
            }
            return served;
        })).ToList();
        await servers.WaitForStatusAsync(s => s.InFlightRequests >= 1);

        var sync = await servers.Rollout.SyncWeightsAsync(models.Publish(1, models.OtherFolder));
        Assert.Equal(1ul, sync.ActiveVersion);
        Volatile.Write(ref swapped, 1);
        var after = await servers.Rollout.GenerateAsync(Greedy("after"));
        Assert.Equal(1ul, after.WeightsVersion);
        await stopLoad.CancelAsync();
        var versions = (await Task.WhenAll(load)).SelectMany(v => v).ToList();

        Assert.Contains(0ul, versions);
        Assert.Contains(1ul, versions);
        var status = await servers.WaitForStatusAsync(s => s.LoadedWeightsVersions.SequenceEqual([1ul]));
        Assert.Equal([1ul], status.LoadedWeightsVersions);
        Assert.Equal(1ul, status.ActiveWeightsVersion);
        Assert.NotNull(status.LastSyncTime);
        var scored = (await servers.ScoredAsync(versions.Count + 1)).Single(g => g.GroupId == "after");
        Assert.Equal(expectedNew.TokenIds, scored.Samples[0].Sample.ResponseTokenIds);
        // "after" may share a generator with load rows: another batch shape changes the kernels' summation order in the
        // last bits, so the log-probs are the new model's within float tolerance, not bit for bit.
        Assert.Equal(expectedNew.LogProbs.Length, scored.Samples[0].Sample.BehaviourLogprobs.Count);
        Assert.All(expectedNew.LogProbs.Zip(scored.Samples[0].Sample.BehaviourLogprobs),
            p => Assert.Equal(p.First, p.Second, 1e-4f));
        Assert.Equal(1ul, scored.Samples[0].Sample.WeightsVersion);
    }

    /// <summary>One greedy text group and one greedy image group, and the weights version that served them.</summary>
    private static async Task<(List<SampledTokens> Samples, ulong Version)> ProbeAsync(Servers servers, string tag)
    {
        var text = Greedy($"{tag}-text", maxNew: 16);
        var image = Requests.WithImages($"{tag}-image", TinyExport.Png(140, 84, salt: 3));
        image.Sampling.TopK = 1;
        image.Sampling.MaxNewTokens = 16;
        image.GroupSize = 1;
        var versions = new List<ulong>();
        foreach (var request in new[] { text, image })
        {
            versions.Add((await servers.Rollout.GenerateAsync(request)).WeightsVersion);
        }
        var scored = await servers.ScoredAsync(2);
        var samples = new[] { text.GroupId, image.GroupId }
            .Select(id => scored.Single(g => g.GroupId == id).Samples.Single().Sample)
            .Select(s => new SampledTokens([.. s.ResponseTokenIds], [.. s.BehaviourLogprobs]))
            .ToList();
        return (samples, versions.Distinct().Single());
    }

    private sealed record SampledTokens(int[] TokenIds, float[] LogProbs)
    {
        public bool Same(SampledTokens other) => TokenIds.SequenceEqual(other.TokenIds) && LogProbs.SequenceEqual(other.LogProbs);
    }

    // Threads 1 as `mmupt rollout --threads 1`: ORT GenAI 0.18 then gives the vision session none of the config's session
    // entries, so ONNX Runtime pre-packs (copies) every constant GEMM weight of the vision graph.
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task A_version_written_into_the_spare_model_serves_exactly_what_a_new_model_of_the_same_weights_serves(int threads)
    {
        await using var servers = await Servers.StartAsync(models.Folder, o => o.Threads = threads);
        var (base0, _) = await ProbeAsync(servers, $"t{threads}-v0");
        var n = 300ul + 10ul * (ulong)threads; // versions n+1..n+4: the fixture's store is shared

        // v0 is the served folder (never written): v1 and v2 are new models, and v1 stays as the spare.
        var v1 = await servers.Rollout.SyncWeightsAsync(models.Publish(n + 1, models.OtherFolder));
        var (other1, served1) = await ProbeAsync(servers, $"t{threads}-v1");
        var v2 = await servers.Rollout.SyncWeightsAsync(models.Publish(n + 2, models.Folder));
        var (base2, served2) = await ProbeAsync(servers, $"t{threads}-v2");
        Assert.False(v1.ReusedModel);
        Assert.False(v2.ReusedModel);
        Assert.Equal((n + 1, n + 2), (served1, served2));
        Assert.Equal([n + 1, n + 2], (await servers.Rollout.GetStatusAsync(new GetRolloutStatusRequest())).LoadedWeightsVersions);
        // The two checkpoints tell apart on both prompts, so a model left on the old weights (or on a mix) fails below.
        Assert.All(other1.Zip(base2), p => Assert.False(p.First.Same(p.Second)));
        Assert.All(base0.Zip(base2), p => Assert.True(p.First.Same(p.Second)));

        // v3 and v4 are written into the spare in turn, each into the model built for the other checkpoint (v3 into v1's,
        // v4 into v2's): each serves bit for bit what the new model of its own weights served.
        var v3 = await servers.Rollout.SyncWeightsAsync(models.Publish(n + 3, models.Folder));
        var (base3, served3) = await ProbeAsync(servers, $"t{threads}-v3");
        var v4 = await servers.Rollout.SyncWeightsAsync(models.Publish(n + 4, models.OtherFolder));
        var (other4, served4) = await ProbeAsync(servers, $"t{threads}-v4");
        Assert.True(v3.ReusedModel);
        Assert.True(v4.ReusedModel);
        Assert.Equal((n + 3, n + 4), (served3, served4));
        Assert.All(base2.Zip(base3), p => Assert.True(p.First.Same(p.Second), "v3 (written into v1's model) differs from v2, a new model of the same weights"));
        Assert.All(other1.Zip(other4), p => Assert.True(p.First.Same(p.Second), "v4 (written into v2's model) differs from v1, a new model of the same weights"));
        Assert.Equal([n + 3, n + 4], (await servers.Rollout.GetStatusAsync(new GetRolloutStatusRequest())).LoadedWeightsVersions);
    }

    [Fact]
    public async Task A_corrupt_version_meant_for_the_spare_is_rejected_the_active_one_keeps_serving_and_the_next_is_a_new_model()
    {
        await using var servers = await Servers.StartAsync(models.Folder);
        Assert.False((await servers.Rollout.SyncWeightsAsync(models.Publish(501, models.OtherFolder))).ReusedModel);
        Assert.False((await servers.Rollout.SyncWeightsAsync(models.Publish(502, models.Folder))).ReusedModel);
        var (active, _) = await ProbeAsync(servers, "corrupt-before");

        // The spare (v501's model) is there; a flipped byte is found while the version is copied into it.
        var corrupt = models.Publish(503, models.OtherFolder, folder => ServedModels.FlipBits(Path.Combine(folder, "decoder.onnx.data"), 1.0 / 3, 0x10));
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await servers.Rollout.SyncWeightsAsync(corrupt));
        Assert.Equal(StatusCode.DataLoss, ex.StatusCode);
        Assert.Contains("decoder.onnx.data: SHA-256 differs from the manifest", ex.Status.Detail);
        var status = await servers.Rollout.GetStatusAsync(new GetRolloutStatusRequest());
        Assert.Equal(502ul, status.ActiveWeightsVersion);
        Assert.Equal([502ul], status.LoadedWeightsVersions);
        var (still, version) = await ProbeAsync(servers, "corrupt-after");
        Assert.Equal(502ul, version);
        Assert.All(active.Zip(still), p => Assert.True(p.First.Same(p.Second)));

        // The half-written spare is gone: the next version is a new model.
        Assert.False((await servers.Rollout.SyncWeightsAsync(models.Publish(504, models.OtherFolder))).ReusedModel);
        Assert.Equal(504ul, (await servers.Rollout.GenerateAsync(Greedy("corrupt-next"))).WeightsVersion);
    }

    [Fact]
    public async Task Without_model_reuse_every_version_is_a_new_model_and_only_the_active_one_stays_loaded()
    {
        await using var servers = await Servers.StartAsync(models.Folder, o => o.ReuseModels = false);
        const ulong n = 400;
        foreach (var (version, folder) in new[] { (n + 1, models.OtherFolder), (n + 2, models.Folder), (n + 3, models.OtherFolder) })
        {
            Assert.False((await servers.Rollout.SyncWeightsAsync(models.Publish(version, folder))).ReusedModel);
            var request = Greedy($"off-{version}");
            Assert.Equal(version, (await servers.Rollout.GenerateAsync(request)).WeightsVersion);
            var served = (await servers.ScoredAsync(1)).Single().Samples.Single().Sample;
            Assert.Equal(ServedModels.Greedy(folder, request.Prompt.Text, 12).TokenIds, served.ResponseTokenIds);
        }
        await servers.WaitForStatusAsync(s => s.LoadedWeightsVersions.SequenceEqual([n + 3]));
    }

    public static TheoryData<string, StatusCode> Damages => new()
    {
        { "corrupt", StatusCode.DataLoss },
        { "truncated", StatusCode.DataLoss },
        { "missing-file", StatusCode.DataLoss },
        { "manifest-version", StatusCode.InvalidArgument },
    };

    [Theory]
    [MemberData(nameof(Damages))]
    public async Task A_damaged_version_is_rejected_and_the_old_one_keeps_serving(string damage, StatusCode code)
    {
        await using var servers = await Servers.StartAsync(models.Folder);
        var version = 100ul + (ulong)Damages.ToList().FindIndex(d => (string)d[0] == damage);
        var request = models.Publish(version, models.OtherFolder, folder =>
        {
            var data = Directory.EnumerateFiles(folder, "decoder.onnx.data").Single();
            switch (damage)
            {
                case "corrupt":
                    ServedModels.FlipBits(data, 0.5, 0x40);
                    break;
                case "truncated":
                    using (var stream = File.OpenWrite(data))
                    {
                        stream.SetLength(stream.Length / 2);
                    }
                    break;
                case "missing-file":
                    File.Delete(data);
                    break;
                case "manifest-version":
                    var manifest = Path.Combine(folder, "manifest.json");
                    File.WriteAllText(manifest, File.ReadAllText(manifest).Replace($"\"version\": \"{version}\"", "\"version\": \"7\""));
                    break;
            }
        });
        if (damage == "manifest-version")
        {
            request.Sha256 = "";
        }
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await servers.Rollout.SyncWeightsAsync(request));
        Assert.Equal(code, ex.StatusCode);
        var status = await servers.Rollout.GetStatusAsync(new GetRolloutStatusRequest());
        Assert.Equal(0ul, status.ActiveWeightsVersion);
        Assert.Contains($"v{version} rejected", status.LastError);
        Assert.Equal(0ul, (await servers.Rollout.GenerateAsync(Greedy("still"))).WeightsVersion);
    }

    [Fact]
    public async Task With_a_configured_weights_source_a_sync_naming_another_is_PERMISSION_DENIED_and_changes_nothing()
    {
        await using var servers = await Servers.StartAsync(models.Folder, o => o.WeightsSource = models.Store + "/");
        var request = models.Publish(200, models.OtherFolder);
        foreach (var foreign in new[] { "http://127.0.0.1:1/", Path.Combine(models.Root, "elsewhere") })
        {
            var refused = request.Clone();
            refused.Source = foreign;
            var ex = await Assert.ThrowsAsync<RpcException>(async () => await servers.Rollout.SyncWeightsAsync(refused));
            Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
            Assert.StartsWith($"source: '{foreign}' is not the configured weights source (Rollout:WeightsSource", ex.Status.Detail);
            Assert.Equal(0ul, (await servers.Rollout.GetStatusAsync(new GetRolloutStatusRequest())).ActiveWeightsVersion);
        }

        // The configured source, spelt without the trailing slash, is the same folder.
        Assert.Equal(200ul, (await servers.Rollout.SyncWeightsAsync(request)).ActiveVersion);
    }

    [Fact]
    public async Task Min_weights_version_waits_for_a_sync_or_fails_FAILED_PRECONDITION()
    {
        await using var servers = await Servers.StartAsync(models.Folder, o => o.WeightsWait = TimeSpan.FromMilliseconds(200));
        var request = Greedy("future");
        request.MinWeightsVersion = 50;
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await servers.Rollout.GenerateAsync(request));
        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Contains("min_weights_version", ex.Status.Detail);
    }
}
