using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using MmUpt.Contracts.V1;

namespace MmUpt.Learner.Sources;

/// <summary>Scored groups handed to the learner in the same process (tests, the demo); acknowledgements are recorded.</summary>
public sealed class InProcessGroupSource : IScoredGroupSource
{
    private readonly Channel<ScoredGroup> _channel = Channel.CreateUnbounded<ScoredGroup>();
    private readonly ConcurrentQueue<GroupKey> _acknowledged = new();

    public void Submit(ScoredGroup group) => _channel.Writer.TryWrite(group);

    public IReadOnlyCollection<GroupKey> Acknowledged => _acknowledged;

    public async IAsyncEnumerable<ScoredGroup> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await _channel.Reader.WaitToReadAsync(cancellationToken))
        {
            while (_channel.Reader.TryRead(out var g)) yield return g;
        }
    }

    public Task AcknowledgeAsync(IReadOnlyList<GroupKey> groups, CancellationToken cancellationToken)
    {
        foreach (var g in groups) _acknowledged.Enqueue(g);
        return Task.CompletedTask;
    }
}
