using MmUpt.Contracts.V1;

namespace MmUpt.Learner.Sources;

/// <summary>
/// Where scored groups come from. Delivery is at least once: a group is acknowledged only after the learner step that
/// used it is applied (or when it is rejected as invalid), so a crash before that redelivers it.
/// </summary>
public interface IScoredGroupSource
{
    /// <summary>Groups as they arrive; ends when <paramref name="cancellationToken"/> fires.</summary>
    IAsyncEnumerable<ScoredGroup> ReadAllAsync(CancellationToken cancellationToken);

    Task AcknowledgeAsync(IReadOnlyList<GroupKey> groups, CancellationToken cancellationToken);
}
