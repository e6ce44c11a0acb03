using Grpc.Core;
using MmUpt.Contracts.V1;
using MmUpt.Learner.Publishing;
using MmUpt.Onnx.Export;
using Xunit.Abstractions;

namespace MmUpt.Weights.Tests.Acceptance;

/// <summary>
/// The whole weights path with real engines: the live TorchSharp learner publishes a version, a real Kestrel server serves
/// it, the downloader fetches it over loopback (through injected faults), and ORT GenAI runs it next to the export's graphs.
/// </summary>
[Collection(LiveLearnerCollection.Name)]
public sealed class PublishedVersionTests(LiveLearner learner, ITestOutputHelper output)
{
    /// <summary>DESIGN.md §3: fp32 logits of both engines agree to 1e-4 relative.</summary>
    private const double Tolerance = 1e-4;

    private static readonly object Init = Logits.Handle;

    [Fact]
    public async Task A_downloaded_version_resumed_after_an_interruption_gives_the_learners_logits_in_ORT_GenAI()
    {
        learner.Perturb(seed: 1);
        var store = new WeightsStore(learner.NewFolder("learner"));
        await using var server = await WeightsTestServer.StartAsync(store);
        var published = await learner.Publisher(store).Publish(learner.Model, step: 3);
        Assert.Equal(Qwen25VLWeightsWriter.DataFileNames.Order(StringComparer.Ordinal), published.Manifest.Files.Select(f => f.Name));
        Assert.Equal(3ul, published.Manifest.Step);

        server.Faults.Enqueue(Fault.CutAfterTwoChunks);
        var local = new WeightsStore(learner.NewFolder("rollout"));
        var version = await server.Downloader(chunkBytes: 16_384).DownloadAsync(published.Manifest.Version, local);
        Assert.Equal(published.Manifest, version.Manifest);
        Assert.Contains(server.Faults.Requests, r => r.Offset == 2 * 16_384);
        var folder = learner.AssembleModelFolder(version);

        var vocab = learner.Model.Config.VocabSize;
        foreach (var image in new[] { null, learner.Image })
        {
            var prompt = Prompt(image is not null);
            var (steps, sequence) = Logits.OrtGenAi(folder, prompt, image);
            var error = Logits.WorstRelativeError(steps, Logits.TorchSharp(learner.Model, learner.Checkpoint, sequence, image), vocab);
            output.WriteLine($"{(image is null ? "text" : "image")} prompt, {steps.Count} steps: relative error {error:E2}");
            Assert.True(error <= Tolerance, $"relative error {error:E2}");
            // The export's own weights give other logits: what ORT GenAI ran was the version.
            var (baseSteps, _) = Logits.OrtGenAi(learner.Export.Folder, prompt, image);
            Assert.True(Logits.RelativeError(baseSteps[0], steps[0]) > 1e-3, "the version must differ from the export");
        }
    }

    [Fact]
    public async Task A_version_corrupted_or_truncated_in_transit_is_reported_naming_version_and_file()
    {
        learner.Perturb(seed: 2);
        var store = new WeightsStore(learner.NewFolder("learner"));
        await using var server = await WeightsTestServer.StartAsync(store);
        var published = await learner.Publisher(store).Publish(learner.Model, step: 1);
        var version = published.Manifest.Version;

        server.Faults.Enqueue(Fault.FlipByteInSecondChunk);
        var corrupted = await Assert.ThrowsAsync<WeightsIntegrityException>(() =>
            server.Downloader(integrityRetries: 0).DownloadAsync(version, new WeightsStore(learner.NewFolder("rollout"))));
        Assert.Equal((version, "decoder.onnx.data"), (corrupted.Version, corrupted.FileName));

        server.Faults.Enqueue(Fault.EndAfterTwoChunks);
        var truncated = await Assert.ThrowsAsync<WeightsIntegrityException>(() =>
            server.Downloader(integrityRetries: 0).DownloadAsync(version, new WeightsStore(learner.NewFolder("rollout"))));
        Assert.Equal((version, "decoder.onnx.data"), (truncated.Version, truncated.FileName));
        Assert.Contains("truncated", truncated.Message);
    }

    [Fact]
    public async Task Publishing_keeps_the_last_K_versions()
    {
        var store = new WeightsStore(learner.NewFolder("learner"), keepVersions: 2);
        await using var server = await WeightsTestServer.StartAsync(store);
        var publisher = learner.Publisher(store);
        var published = new List<PublishedWeights>();
        for (var step = 1ul; step <= 4; step++)
        {
            learner.Perturb(seed: 10 + (long)step);
            published.Add(await publisher.Publish(learner.Model, step));
        }

        Assert.Equal([1ul, 2ul, 3ul, 4ul], published.Select(p => p.Manifest.Version));
        Assert.Equal([3ul, 4ul], store.Versions());
        Assert.Equal(published[3].Manifest, await server.Client.GetManifestAsync(new GetManifestRequest()));
        var pruned = await Assert.ThrowsAsync<RpcException>(() => server.Client.GetManifestAsync(new GetManifestRequest { Version = 2 }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, pruned.StatusCode);
        // Every version's weights differ: a version is never a stale copy of another.
        Assert.Equal(4, published.Select(p => p.Manifest.Files.Single(f => f.Name == "decoder.onnx.data").Sha256).Distinct().Count());
    }

    private static string Prompt(bool image) =>
        "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n"
        + (image ? "<|vision_start|><|image_pad|><|vision_end|>" : "") + "how many circles are there?<|im_end|>\n<|im_start|>assistant\n";
}
