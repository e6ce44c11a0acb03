namespace MmUpt.Rollout.Weights;

/// <summary>
/// The loaded weights versions of one worker and the one new generators use. <see cref="Activate"/> switches new work
/// to a version atomically; the previous version keeps serving the generators that hold it and is then freed — or, when
/// its model reads its weights from a staged folder of the worker's own, kept as the one spare that
/// <see cref="TakeSpare"/> hands to the next sync (<see cref="LoadedVersion"/>). Versions only increase, so a request
/// that waited for version v is served by v or newer.
/// </summary>
public sealed class ModelRegistry : IDisposable
{
    private readonly Lock _lock = new();
    private readonly List<LoadedVersion> _loaded = [];
    private LoadedVersion? _active;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public LoadedVersion? Active => Volatile.Read(ref _active);

    /// <summary>The versions whose models are alive: the active one, retired ones still in use and the spare, oldest first.</summary>
    public IReadOnlyList<ulong> Loaded
    {
        get
        {
            lock (_lock)
            {
                _loaded.RemoveAll(v => !v.Alive);
                return _loaded.Select(v => v.Version).ToList();
            }
        }
    }

    /// <summary>The staged folders that alive models read their weights from.</summary>
    public IReadOnlyList<string> Folders
    {
        get
        {
            lock (_lock)
            {
                _loaded.RemoveAll(v => !v.Alive);
                return _loaded.Where(v => v.Folder is not null).Select(v => v.Folder!).ToList();
            }
        }
    }

    /// <summary>Makes <paramref name="version"/> the one new generators use; throws when it is not newer than the active one.</summary>
    public void Activate(LoadedVersion version)
    {
        LoadedVersion? previous;
        List<LoadedVersion> older;
        TaskCompletionSource changed;
        lock (_lock)
        {
            previous = _active;
            if (previous is not null && version.Version <= previous.Version)
            {
                throw new InvalidOperationException($"version {version.Version} is not newer than the active version {previous.Version}");
            }
            older = _loaded.Where(v => v != previous).ToList();
            _loaded.Add(version);
            Volatile.Write(ref _active, version);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        // One spare at most: the version just replaced; older retired ones are freed once idle.
        previous?.Retire(spare: true);
        foreach (var v in older)
        {
            v.Retire(spare: false);
        }
        changed.TrySetResult();
    }

    /// <summary>
    /// Whether a spare no generator uses is there for <see cref="TakeSpare"/>. Once true it stays true until the spare is
    /// taken (a retired version takes no new generator), so the one caller that takes spares can check first.
    /// </summary>
    public bool HasIdleSpare
    {
        get
        {
            lock (_lock)
            {
                return _loaded.Any(v => v != _active && v.IsIdleSpare);
            }
        }
    }

    /// <summary>The idle spare's model, taken out of the registry for the caller to rewrite, or null when there is none.</summary>
    public LoadedVersion? TakeSpare()
    {
        lock (_lock)
        {
            foreach (var v in _loaded)
            {
                if (v != _active && v.TryReclaim())
                {
                    _loaded.Remove(v);
                    return v;
                }
            }
            return null;
        }
    }

    /// <summary>A hold on the active version, or null when no model is loaded.</summary>
    public ModelLease? Acquire()
    {
        while (Active is { } active)
        {
            if (active.TryAcquire())
            {
                return new ModelLease(active);
            }
        }
        return null;
    }

    /// <summary>Waits until the active version is at least <paramref name="minimum"/>; false after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForAsync(ulong minimum, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_active is { } a && a.Version >= minimum)
                {
                    return true;
                }
                changed = _changed.Task;
            }
            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return false;
            }
        }
    }

    public void Dispose()
    {
        List<LoadedVersion> all;
        lock (_lock)
        {
            all = [.. _loaded];
            _active = null;
        }
        foreach (var v in all)
        {
            v.Retire(spare: false);
        }
    }
}
