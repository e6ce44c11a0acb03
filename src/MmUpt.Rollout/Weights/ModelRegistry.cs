namespace MmUpt.Rollout.Weights;

/// <summary>
/// The loaded weights versions of one worker and the one new generators use. <see cref="Activate"/> switches new work
/// to a version atomically; the previous version keeps serving the generators that hold it and is freed after the last
/// (<see cref="LoadedVersion"/>). Versions only increase, so a request that waited for version v is served by v or newer.
/// </summary>
public sealed class ModelRegistry : IDisposable
{
    private readonly Lock _lock = new();
    private readonly List<LoadedVersion> _loaded = [];
    private LoadedVersion? _active;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public LoadedVersion? Active => Volatile.Read(ref _active);

    /// <summary>The versions whose models are alive: the active one and retired ones still in use, oldest first.</summary>
    public IReadOnlyList<ulong> Loaded
    {
        get
        {
            lock (_lock)
            {
                _loaded.RemoveAll(v => v.Disposed);
                return _loaded.Select(v => v.Version).ToList();
            }
        }
    }

    /// <summary>Makes <paramref name="version"/> the one new generators use; throws when it is not newer than the active one.</summary>
    public void Activate(LoadedVersion version)
    {
        LoadedVersion? previous;
        TaskCompletionSource changed;
        lock (_lock)
        {
            previous = _active;
            if (previous is not null && version.Version <= previous.Version)
            {
                throw new InvalidOperationException($"version {version.Version} is not newer than the active version {previous.Version}");
            }
            _loaded.Add(version);
            Volatile.Write(ref _active, version);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        previous?.Retire();
        changed.TrySetResult();
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
        lock (_lock)
        {
            _active?.Retire();
            _active = null;
        }
    }
}
