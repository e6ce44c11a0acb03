using Grpc.Core;
using MmUpt.Contracts.V1;
using MmUpt.Hosting.Security;
using MmUpt.Testing;

namespace MmUpt.Rollout.Tests.Server;

/// <summary>
/// SyncWeights from a WeightsService address: the version is downloaded into the worker's store (under
/// Rollout:StagingFolder), checked like a shared-path version, and served; a corrupt download never replaces the
/// serving version; a source that is neither an address nor a folder is INVALID_ARGUMENT.
/// </summary>
public sealed class WeightsDownloadSyncTests(ServedModels models) : IClassFixture<ServedModels>
{
    private static GenerateRequest Greedy(string id)
    {
        var r = Requests.Text(id, g: 1, maxNew: 12);
        r.Sampling.TopK = 1;
        return r;
    }

    [Fact]
    public async Task A_version_from_a_WeightsService_is_downloaded_and_serves_new_requests()
    {
        using var learner = new TempDir();
        using var staging = new TempDir();
        await using var weights = await WeightsServer.StartAsync(learner.File("store"));
        await using var servers = await Servers.StartAsync(models.Folder, o => o.StagingFolder = staging.Path);
        var expectedNew = ServedModels.Greedy(models.OtherFolder, Greedy("x").Prompt.Text, 12);
        var request = weights.Publish(models.OtherFolder, step: 10);
        Assert.StartsWith("http://127.0.0.1:", request.Source);

        var sync = await servers.Rollout.SyncWeightsAsync(request);

        Assert.Equal(request.Version, sync.ActiveVersion);
        var status = await servers.Rollout.GetStatusAsync(new GetRolloutStatusRequest());
        Assert.Equal(request.Version, status.ActiveWeightsVersion);
        var after = await servers.Rollout.GenerateAsync(Greedy("after"));
        Assert.Equal(request.Version, after.WeightsVersion);
        // The served tokens and log-probs are the published checkpoint's, so the downloaded bytes are what loaded.
        var scored = (await servers.ScoredAsync(1)).Single();
        Assert.Equal(expectedNew.TokenIds, scored.Samples[0].Sample.ResponseTokenIds);
        Assert.Equal(expectedNew.LogProbs, scored.Samples[0].Sample.BehaviourLogprobs);
        Assert.True(File.Exists(Path.Combine(staging.Path, "downloads", $"v{request.Version}", "manifest.json")));
    }

    [Fact]
    public async Task Over_mutual_TLS_with_a_token_the_worker_downloads_with_its_own_credentials_and_without_the_token_is_refused()
    {
        using var pki = new TestPki();
        var token = Path.Combine(pki.Folder, "token");
        await File.WriteAllTextAsync(token, "weights-token");
        using var learner = new TempDir();
        await using var weights = await WeightsServer.StartAsync(learner.File("store"), new SecurityOptions
        {
            Certificate = pki.ServerCertFile, Key = pki.ServerKeyFile, ClientCa = pki.CaFile, TokenFile = token,
        });
        var request = weights.Publish(models.OtherFolder, step: 10);
        Assert.StartsWith("https://127.0.0.1:", request.Source);

        var worker = new SecurityOptions { Certificate = pki.ClientCertFile, Key = pki.ClientKeyFile, Ca = pki.CaFile };
        await using (var servers = await Servers.StartAsync(models.Folder, security: worker))
        {
            var ex = await Assert.ThrowsAsync<RpcException>(async () => await servers.Rollout.SyncWeightsAsync(request));
            Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
            Assert.StartsWith($"source: {request.Source}: missing bearer token", ex.Status.Detail);
        }
        worker.TokenFile = token;
        await using (var servers = await Servers.StartAsync(models.Folder, security: worker))
        {
            Assert.Equal(request.Version, (await servers.Rollout.SyncWeightsAsync(request)).ActiveVersion);
        }
    }

    [Fact]
    public async Task A_corrupt_download_is_DATA_LOSS_and_the_old_version_keeps_serving()
    {
        using var learner = new TempDir();
        await using var weights = await WeightsServer.StartAsync(learner.File("store"));
        await using var servers = await Servers.StartAsync(models.Folder);
        var request = weights.Publish(models.OtherFolder, step: 10);
        // Same size, one bit flipped: the server streams it as it is, only the SHA-256 check can tell.
        ServedModels.FlipBits(Path.Combine(weights.Store.TryOpen(request.Version)!.Folder, "decoder.onnx.data"), 0.5, 0x40);

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await servers.Rollout.SyncWeightsAsync(request));

        Assert.Equal(StatusCode.DataLoss, ex.StatusCode);
        Assert.Contains("source", ex.Status.Detail);
        Assert.Contains("decoder.onnx.data", ex.Status.Detail);
        var status = await servers.Rollout.GetStatusAsync(new GetRolloutStatusRequest());
        Assert.Equal(0ul, status.ActiveWeightsVersion);
        Assert.Contains($"v{request.Version} rejected", status.LastError);
        Assert.Equal(0ul, (await servers.Rollout.GenerateAsync(Greedy("still"))).WeightsVersion);
    }

    [Fact]
    public async Task A_version_the_WeightsService_does_not_hold_is_NOT_FOUND()
    {
        using var learner = new TempDir();
        await using var weights = await WeightsServer.StartAsync(learner.File("store"));
        await using var servers = await Servers.StartAsync(models.Folder);
        var request = weights.Publish(models.OtherFolder, step: 10);
        request.Version = 9;

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await servers.Rollout.SyncWeightsAsync(request));

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        Assert.Contains("source", ex.Status.Detail);
        Assert.Equal(0ul, (await servers.Rollout.GetStatusAsync(new GetRolloutStatusRequest())).ActiveWeightsVersion);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/weights")]
    [InlineData("/no/such/folder/mmupt-weights")]
    [InlineData("http://")]
    public async Task A_source_that_is_neither_an_address_nor_a_folder_is_INVALID_ARGUMENT(string source)
    {
        await using var servers = await Servers.StartAsync(models.Folder);
        var request = new SyncWeightsRequest { Version = 1, Source = source };

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await servers.Rollout.SyncWeightsAsync(request));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.StartsWith("source:", ex.Status.Detail);
    }
}
