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

    /// <summary>The next version published will be greater than <paramref name="version"/>.</summary>
    void ReserveAbove(ulong version);

    /// <summary>Drops the kept copies of versions for which <paramref name="mayRestore"/> is false: they will never be restored.</summary>
    void KeepOnly(Func<ulong, bool> mayRestore);
}
