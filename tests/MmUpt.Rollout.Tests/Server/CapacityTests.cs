using Grpc.Core;
using MmUpt.Contracts.V1;
using MmUpt.Rollout.Tests.Engine;

namespace MmUpt.Rollout.Tests.Server;

/// <summary>Queue bounds, cancellation and packing of several groups into one generator.</summary>
public sealed class CapacityTests(LongContextModel models) : IClassFixture<LongContextModel>
{
    // A group that cannot stop early: its end-of-sequence ids are banned, so every row runs to max_new_tokens — several
    // seconds over a 4096-token context, against the few milliseconds the test needs while it holds the generator
    // (150 tokens, as on the 200-token model, took 0.1 s: the group could finish before the test queued behind it).
    private static GenerateRequest Long(string id, uint g = 4)
    {
        var r = Requests.Text(id, g: g, maxNew: LongContextModel.ContextLength - 64);
        r.Sampling.BannedTokenIds.AddRange([0, 2]);
        return r;
    }

    [Fact]
    public async Task Past_MaxQueuedRequests_a_request_is_RESOURCE_EXHAUSTED_and_cancelling_frees_capacity()
    {
        await using var servers = await Servers.StartAsync(models.Folder, o =>
            (o.MaxConcurrentGenerators, o.MaxRowsPerGenerator, o.MaxQueuedRequests) = (1, 4, 1));
        using var cancelRunning = new CancellationTokenSource();
        using var cancelQueued = new CancellationTokenSource();
        var running = servers.Rollout.GenerateAsync(Long("running"), cancellationToken: cancelRunning.Token).ResponseAsync;
        await servers.WaitForStatusAsync(s => s.InFlightRequests == 1);
        var queued = servers.Rollout.GenerateAsync(Long("queued"), cancellationToken: cancelQueued.Token).ResponseAsync;
        await servers.WaitForStatusAsync(s => s.QueueDepth == 1);

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await servers.Rollout.GenerateAsync(Long("third")));
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Contains("MaxQueuedRequests", ex.Status.Detail);

        await cancelQueued.CancelAsync();
        await cancelRunning.CancelAsync();
        Assert.Equal(StatusCode.Cancelled, (await Assert.ThrowsAsync<RpcException>(() => running)).StatusCode);
        Assert.Equal(StatusCode.Cancelled, (await Assert.ThrowsAsync<RpcException>(() => queued)).StatusCode);
        var status = await servers.WaitForStatusAsync(s => s.InFlightRequests == 0 && s.QueueDepth == 0);
        Assert.Equal((0u, 0u), (status.InFlightRequests, status.QueueDepth));
        // The cancelled rows stopped before finishing: no sample of either group reached the voting service.
        var voting = await servers.Voting.GetStatusAsync(new GetVotingStatusRequest());
        Assert.Equal(0u, voting.GroupsPending);
        Assert.Equal(2u, (await servers.Rollout.GenerateAsync(Requests.Text("next", g: 2))).SamplesDelivered);
    }

    [Fact]
    public async Task Queued_groups_share_one_generator_and_sample_as_they_would_alone()
    {
        await using var servers = await Servers.StartAsync(models.Folder, o => (o.MaxConcurrentGenerators, o.MaxRowsPerGenerator) = (1, 32));
        // A long group occupies the only generator while three seeded groups of different prompt lengths queue; they
        // then run packed together (12 rows, right-padded).
        using var cancel = new CancellationTokenSource();
        var blocker = servers.Rollout.GenerateAsync(Long("blocker", g: 1), cancellationToken: cancel.Token).ResponseAsync;
        await servers.WaitForStatusAsync(s => s.InFlightRequests == 1);
        var questions = new[] { "hi", "count the red squares", "add the two digits shown and say which is bigger" };
        var packed = questions.Select((q, i) => servers.Rollout.GenerateAsync(Requests.Text($"packed{i}", seed: 9, maxNew: 10, question: q)).ResponseAsync).ToList();
        await servers.WaitForStatusAsync(s => s.QueueDepth == 3);
        await cancel.CancelAsync();
        await Assert.ThrowsAsync<RpcException>(() => blocker);
        await Task.WhenAll(packed);
        var together = (await servers.ScoredAsync(3)).ToDictionary(g => g.GroupId);

        for (var i = 0; i < questions.Length; i++)
        {
            await servers.Rollout.GenerateAsync(Requests.Text($"alone{i}", seed: 9, maxNew: 10, question: questions[i]));
            var alone = Assert.Single(await servers.ScoredAsync(1));
            Assert.Equal(Tokens(alone), Tokens(together[$"packed{i}"]));
        }
    }

    private static string Tokens(ScoredGroup g) => string.Join('|', g.Samples.Select(s => string.Join(',', s.Sample.ResponseTokenIds)));
}

/// <summary>The tiny model exported with its whole 4096-token context, so a group can hold a generator for seconds.</summary>
public sealed class LongContextModel : IDisposable
{
    public const int ContextLength = 4096;

    public LongContextModel()
    {
        Root = Directory.CreateTempSubdirectory("mmupt-rollout-long-").FullName;
        var checkpoint = Path.Combine(Root, "hf");
        MmUpt.Presets.CheckpointInitializer.Write(MmUpt.Presets.CheckpointPreset.Tiny, checkpoint, seed: 5);
        var options = new MmUpt.Onnx.Export.Qwen25VLExportOptions { ContextLength = ContextLength };
        Folder = MmUpt.Onnx.Export.Qwen25VLExporter.Export(checkpoint, Path.Combine(Root, "onnx"), options).Folder;
    }

    public string Root { get; }
    public string Folder { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A native library may still map a file; the OS cleans the temp folder.
        }
    }
}
