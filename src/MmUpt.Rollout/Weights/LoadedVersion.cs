using MmUpt.Rollout.Engine;

namespace MmUpt.Rollout.Weights;

/// <summary>
/// One weights version loaded in ORT GenAI, counted by the generators using it. Once retired (a newer version took
/// over) it takes no new generator; when the last one lets go its model is disposed — never under a running generator —
/// unless it was retired as the worker's spare: a model whose weights ORT reads from the files of its own staged
/// <see cref="Folder"/>, kept so that a later version can be written into those files in place and served by the same
/// model (<see cref="TryReclaim"/>), with no new model to build.
/// </summary>
public sealed class LoadedVersion(ulong version, OrtGenAiEngine engine, string? folder = null)
{
    private readonly Lock _lock = new();
    private int _users;
    private bool _retired;
    private bool _spare;
    private bool _reclaimed;

    public ulong Version { get; } = version;
    public OrtGenAiEngine Engine { get; } = engine;

    /// <summary>The worker's own staged folder whose data files the model reads in place; null for the served folder (never written).</summary>
    public string? Folder { get; } = folder;

    /// <summary>Whether the model has been disposed.</summary>
    public bool Disposed { get; private set; }

    /// <summary>Whether the model still serves this version (not disposed, not reclaimed for another).</summary>
    public bool Alive
    {
        get
        {
            lock (_lock)
            {
                return !Disposed && !_reclaimed;
            }
        }
    }

    /// <summary>Whether this is a retired spare that no generator uses (what <see cref="TryReclaim"/> takes).</summary>
    internal bool IsIdleSpare
    {
        get
        {
            lock (_lock)
            {
                return IdleSpare();
            }
        }
    }

    private bool IdleSpare() => _retired && _spare && _users == 0 && !Disposed && !_reclaimed;

    /// <summary>Takes a use; false once the version is retired (the caller picks the active one again).</summary>
    internal bool TryAcquire()
    {
        lock (_lock)
        {
            if (_retired || Disposed || _reclaimed)
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

    /// <summary>Stops new uses; with <paramref name="spare"/> (only for a model with its own <see cref="Folder"/>) the model is kept once idle, else freed.</summary>
    internal void Retire(bool spare)
    {
        lock (_lock)
        {
            _retired = true;
            _spare = spare && Folder is not null;
            FreeIfUnused();
        }
    }

    /// <summary>
    /// Takes the model of a retired spare that no generator uses any more, for another version to be written into its
    /// files; false when it is not one (still in use, not a spare, already freed or taken). The caller owns the model.
    /// </summary>
    internal bool TryReclaim()
    {
        lock (_lock)
        {
            if (!IdleSpare())
            {
                return false;
            }
            _reclaimed = true;
            return true;
        }
    }

    private void FreeIfUnused()
    {
        if (_retired && !_spare && _users == 0 && !Disposed && !_reclaimed)
        {
            Disposed = true;
            Engine.Dispose();
        }
    }
}
