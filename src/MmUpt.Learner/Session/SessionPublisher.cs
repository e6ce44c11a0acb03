using System.Security.Cryptography;
using MmUpt.Contracts.V1;
using MmUpt.Learner.Loop;
using MmUpt.Learner.Publishing;
using MmUpt.Onnx.Qwen25VL;
using MmUpt.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace MmUpt.Learner.Session;

/// <summary>
/// The step loop's <see cref="IWeightPublisher"/> over a <see cref="LearnerSession"/>: the policy's master weights are
/// copied on the torch thread (the only part that holds training up), written as the next version of the store by
/// <see cref="WeightsPublisher"/>, and announced with the manifest's size and SHA-256 and <see cref="Source"/> (the
/// store folder on a shared file system, or this process's WeightsService address). The copies of versions the guard
/// may still roll back to are kept in memory (one fp32 model each): the last good version and the newest — with a dev
/// set gating the guard, the newest only until the guard has judged it. A point the guard releases lends its arrays to a
/// later snapshot (no fresh large-object arrays, and so no gen-2 collection, at every publish).
/// </summary>
public sealed class SessionPublisher(LearnerSession session, TorchThread torch, WeightsPublisher publisher, string source) : IWeightPublisher
{
    private readonly SortedDictionary<ulong, InMemoryWeights> _rollbackPoints = [];

    /// <summary>Rollback points the guard no longer needs, whose arrays the next snapshots reuse.</summary>
    private readonly Stack<InMemoryWeights> _spare = new();

    public string Source => source;

    public ulong CurrentVersion => session.State.WeightsVersion;

    public async Task<SyncWeightsRequest> PublishAsync(long step, CancellationToken cancellationToken)
    {
        InMemoryWeights? reuse;
        lock (_rollbackPoints) _spare.TryPop(out reuse);
        var (snapshot, copy) = await torch.RunAsync(() =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            return (new TorchWeightSource(session.Policy.Master).Snapshot(reuse), clock.Elapsed);
        });
        var published = await publisher.Publish(snapshot, (ulong)step, copy).WaitAsync(cancellationToken);
        var version = published.Manifest.Version;
        lock (_rollbackPoints) _rollbackPoints[version] = snapshot;
        session.State.WeightsVersion = version;
        if (!session.State.PublishedVersions.Contains(version)) session.State.PublishedVersions.Add(version);
        return new SyncWeightsRequest
        {
            Version = version,
            Step = (ulong)step,
            SizeBytes = (ulong)published.Bytes,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(published.Folder, WeightsStore.ManifestFileName)))),
            Source = source,
        };
    }

    public async Task<SyncWeightsRequest> RestoreAsync(ulong version, long step, CancellationToken cancellationToken)
    {
        InMemoryWeights? weights;
        lock (_rollbackPoints) _rollbackPoints.TryGetValue(version, out weights);
        if (weights is null)
            throw new InvalidOperationException($"weights version {version} is not kept for rollback (kept: {string.Join(", ", _rollbackPoints.Keys)})");
        await torch.RunAsync(() => Load(session, weights));
        return await PublishAsync(step, cancellationToken);
    }

    /// <summary>Released rollback points kept for reuse: one per publish in flight is enough.</summary>
    private const int MaxSpare = 2;

    public void ReserveAbove(ulong version) => publisher.Store.ReserveAbove(version);

    public void KeepOnly(Func<ulong, bool> mayRestore)
    {
        lock (_rollbackPoints)
        {
            foreach (var v in _rollbackPoints.Keys.Where(v => !mayRestore(v)).ToList())
            {
                // Only written versions are rollback points, and restoring runs on the loop's own thread: nothing reads it now.
                if (_spare.Count < MaxSpare) _spare.Push(_rollbackPoints[v]);
                _rollbackPoints.Remove(v);
            }
        }
    }

    /// <summary>Copies <paramref name="weights"/> into the master parameters (and the bf16 compute copy); clears the optimizer's gradients.</summary>
    private static void Load(LearnerSession session, InMemoryWeights weights)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var (name, p) in session.Policy.Master.named_parameters())
        {
            var device = p.device;
            p.copy_(tensor(weights.ReadFloat32(name), weights.Shape(name)!).to(p.dtype, device));
        }
        session.Policy.SyncCompute();
        session.Policy.DiscardGradients();
    }
}
