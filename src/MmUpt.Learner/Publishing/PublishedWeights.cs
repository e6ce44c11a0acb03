using MmUpt.Contracts.V1;

namespace MmUpt.Learner.Publishing;

/// <summary>
/// A version the learner published: its manifest (what <c>RolloutService.SyncWeights</c> announces) and where the time
/// went: <see cref="Snapshot"/> on the training thread (the only part that holds training up), <see cref="Write"/> of the
/// data files and <see cref="Seal"/> (SHA-256, sync to disk, rename into place) in the background.
/// </summary>
public sealed record PublishedWeights(WeightsManifest Manifest, string Folder, TimeSpan Snapshot, TimeSpan Write, TimeSpan Seal)
{
    public long Bytes => Manifest.Files.Sum(f => (long)f.SizeBytes);
}
