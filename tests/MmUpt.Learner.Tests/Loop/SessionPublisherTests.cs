using Microsoft.Extensions.Logging.Abstractions;
using MmUpt.Learner.Publishing;
using MmUpt.Learner.Session;
using MmUpt.Onnx.Export;
using MmUpt.Onnx.Writing;
using MmUpt.Testing;
using MmUpt.Weights;
using static TorchSharp.torch;

namespace MmUpt.Learner.Tests.Loop;

/// <summary>
/// The step loop's publisher over a real session, store and writer: versions, rollback points and the guard's rollback.
/// </summary>
public sealed class SessionPublisherTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public async Task A_rollback_restores_the_kept_version_after_a_released_point_lent_its_arrays_to_a_later_snapshot()
    {
        using var torch = new TorchThread("test-learner");
        var options = new LearnerOptions
        {
            Checkpoint = LearnerFixtures.TinyCheckpoint, Work = _dir.File("work"), Threads = 1, Trainer = LearnerFixtures.Options(),
        };
        using var session = await torch.RunAsync(() => new LearnerSession(options, NullLogger.Instance, withReference: false));
        var store = new WeightsStore(_dir.File("weights"), durable: false);
        var publisher = new SessionPublisher(session, torch,
            new WeightsPublisher(store, session.Processor.Config, new WeightsPublishingOptions { Folder = store.Folder }), store.Folder);

        var good = await PublishAsync(publisher, store, 0);                 // the checkpoint's weights
        var checkpointWeights = await torch.RunAsync(() => new TorchWeightSource(session.Policy.Master).Snapshot());
        await ShiftAsync(torch, session, 0.5f);                            // "training"
        var released = await PublishAsync(publisher, store, 1);
        publisher.KeepOnly(v => v == good.Version);                         // the guard lets go of the second version
        await ShiftAsync(torch, session, 0.25f);
        var latest = await PublishAsync(publisher, store, 2);               // its snapshot reuses the released arrays

        Assert.NotEqual(good.Sha256, released.Sha256);
        Assert.NotEqual(released.Sha256, latest.Sha256);
        var direct = await torch.RunAsync(() => Qwen25VLWeightsWriter.Write(session.Processor.Config, new TorchWeightSource(session.Policy.Master),
            _dir.File("direct"), new Qwen25VLExportOptions { ExternalData = ExternalDataMode.Always }));
        Assert.Equal(direct.ToDictionary(f => f.Name, f => f.Sha256), latest.Sha256);   // the reused snapshot holds the latest weights

        var restored = await publisher.RestoreAsync(good.Version, 3, CancellationToken.None);

        Assert.True(restored.Version > latest.Version);
        Assert.Equal(good.Sha256, Files(store, restored.Version));
        var now = await torch.RunAsync(() => new TorchWeightSource(session.Policy.Master).Snapshot());
        foreach (var name in checkpointWeights.Names)
        {
            Assert.Equal(checkpointWeights.ReadFloat32(name), now.ReadFloat32(name));
        }
        var gone = await Assert.ThrowsAsync<InvalidOperationException>(() => publisher.RestoreAsync(released.Version, 4, CancellationToken.None));
        Assert.Contains($"weights version {released.Version} is not kept", gone.Message);
    }

    private static async Task<(ulong Version, Dictionary<string, string> Sha256)> PublishAsync(SessionPublisher publisher, WeightsStore store, long step)
    {
        var request = await publisher.PublishAsync(step, CancellationToken.None);
        return (request.Version, Files(store, request.Version));
    }

    private static Dictionary<string, string> Files(WeightsStore store, ulong version) =>
        (store.TryOpen(version) ?? throw new InvalidOperationException($"version {version} is not in the store"))
        .Manifest.Files.ToDictionary(f => f.Name, f => f.Sha256);

    private static Task<int> ShiftAsync(TorchThread torch, LearnerSession session, float by) => torch.RunAsync(() =>
    {
        using (no_grad())
        {
            foreach (var p in session.Policy.Master.parameters()) p.add_(by);
        }
        session.Policy.SyncCompute();
        return 0;
    });

    public void Dispose() => _dir.Dispose();
}
