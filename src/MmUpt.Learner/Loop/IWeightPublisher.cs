using MmUpt.Contracts.V1;

namespace MmUpt.Learner.Loop;

/// <summary>
/// Turns the live policy into a weights version rollout workers can load, and back: <see cref="PublishAsync"/> writes the
/// next version and returns what <c>SyncWeights</c> announces; <see cref="RestoreAsync"/> loads an earlier version's
/// weights into the policy (the collapse guard's rollback) and announces it as a new version.
/// </summary>
public interface IWeightPublisher
{
    /// <summary>The newest version published (0 before the first publish).</summary>
    ulong CurrentVersion { get; }

    Task<SyncWeightsRequest> PublishAsync(long step, CancellationToken cancellationToken);

    Task<SyncWeightsRequest> RestoreAsync(ulong version, long step, CancellationToken cancellationToken);

    /// <summary>Versions older than <paramref name="olderThan"/> will never be restored (the guard judged a newer one good).</summary>
    void Forget(ulong olderThan);
}
