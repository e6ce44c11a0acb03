using MmUpt.Rollout.Engine;

namespace MmUpt.Rollout.Weights;

/// <summary>
/// One weights version loaded in ORT GenAI, counted by the generators using it. Once retired (a newer version took
/// over), its model is disposed when the last generator lets go — never under a running generator.
/// </summary>
public sealed class LoadedVersion(ulong version, OrtGenAiEngine engine)
{
    private readonly Lock _lock = new();
    private int _users;
    private bool _retired;

    public ulong Version { get; } = version;
    public OrtGenAiEngine Engine { get; } = engine;

    /// <summary>Whether the model has been disposed.</summary>
    public bool Disposed { get; private set; }

    /// <summary>Takes a use; false when the version was already retired and freed (the caller picks the active one again).</summary>
    internal bool TryAcquire()
    {
        lock (_lock)
        {
            if (Disposed)
            {
                return false;
            }
            _users++;
            return true;
        }
    }

    internal void Release()
    {
        lock (_lock)
        {
            _users--;
            FreeIfUnused();
        }
    }

    internal void Retire()
    {
        lock (_lock)
        {
            _retired = true;
            FreeIfUnused();
        }
    }

    private void FreeIfUnused()
    {
        if (_retired && _users == 0 && !Disposed)
        {
            Disposed = true;
            Engine.Dispose();
        }
    }
}
