namespace MmUpt.Training.Dispatch;

/// <summary>One call's reservation of a replica: counts as outstanding work on it until disposed.</summary>
public sealed class ReplicaLease(Replica replica) : IDisposable
{
    private int _disposed;

    public Replica Replica { get; } = replica;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) Replica.Leave();
    }
}
