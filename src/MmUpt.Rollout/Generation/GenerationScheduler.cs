using Grpc.Core;
using Microsoft.Extensions.Logging;
using MmUpt.Rollout.Engine;
using MmUpt.Rollout.Weights;

namespace MmUpt.Rollout.Generation;

/// <summary>
/// Runs queued groups on up to <see cref="RolloutOptions.MaxConcurrentGenerators"/> generators at once, each on its own
/// thread. A free generator takes the oldest waiting group and packs in later ones while their rows fit
/// (<see cref="RolloutOptions.MaxRowsPerGenerator"/>, at most 32) and the longest prompt plus the longest
/// max_new_tokens fits the context; all groups of a generator use the version active when it starts. ORT GenAI takes a
/// batch's rows only once (no joining a running generator), so packing happens between generators. At most
/// <see cref="RolloutOptions.MaxQueuedRequests"/> groups wait; one more is RESOURCE_EXHAUSTED. A group cancelled while
/// queued never starts.
/// </summary>
public sealed class GenerationScheduler : IDisposable
{
    private readonly RolloutOptions _options;
    private readonly ModelRegistry _models;
    private readonly RolloutStats _stats;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly LinkedList<GroupJob> _queue = new();
    private readonly SemaphoreSlim _available = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task[] _workers;

    public GenerationScheduler(RolloutOptions options, ModelRegistry models, RolloutStats stats, ILogger<GenerationScheduler> logger)
    {
        _options = options;
        _models = models;
        _stats = stats;
        _logger = logger;
        _workers = Enumerable.Range(0, options.MaxConcurrentGenerators)
            .Select(_ => Task.Factory.StartNew(WorkAsync, TaskCreationOptions.LongRunning).Unwrap()).ToArray();
    }

    public int Queued
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    public void Enqueue(GroupJob job)
    {
        lock (_lock)
        {
            if (_queue.Count >= _options.MaxQueuedRequests)
            {
                throw new RpcException(new Status(StatusCode.ResourceExhausted,
                    $"{_queue.Count} requests are queued (Rollout:MaxQueuedRequests); retry later or on another replica"));
            }
            _queue.AddLast(job);
        }
        _available.Release();
    }

    private async Task WorkAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await _available.WaitAsync(_stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (Take() is { Count: > 0 } jobs)
            {
                RunBatch(jobs);
            }
        }
    }

    // The oldest live job and the later ones that fit with it. Extra semaphore counts left by packed jobs only cause a
    // worker to find the queue empty and wait again.
    private List<GroupJob> Take()
    {
        var context = _models.Active?.Engine.Info.ContextLength ?? int.MaxValue;
        var jobs = new List<GroupJob>();
        lock (_lock)
        {
            int rows = 0, width = 0, newTokens = 0;
            for (var node = _queue.First; node is not null;)
            {
                var next = node.Next;
                var job = node.Value;
                if (job.Cancellation.IsCancellationRequested)
                {
                    _queue.Remove(node);
                    job.Generated.TrySetCanceled(job.Cancellation);
                }
                else
                {
                    var w = Math.Max(width, job.Prompt.TokenIds.Length);
                    var n = Math.Max(newTokens, job.Sampling.Settings.MaxNewTokens);
                    if (rows + job.GroupSize <= _options.MaxRowsPerGenerator && w + n <= context)
                    {
                        _queue.Remove(node);
                        jobs.Add(job);
                        (rows, width, newTokens) = (rows + job.GroupSize, w, n);
                    }
                    else if (jobs.Count == 0)
                    {
                        // Cannot happen for a validated job (G ≤ 32, prompt + max_new_tokens ≤ context); fail it rather than stall.
                        _queue.Remove(node);
                        job.Generated.TrySetException(new InvalidOperationException($"group {job.Request.GroupId} does not fit a generator"));
                    }
                }
                node = next;
            }
        }
        return jobs;
    }

    private void RunBatch(List<GroupJob> jobs)
    {
        using var lease = _models.Acquire();
        if (lease is null)
        {
            jobs.ForEach(j => j.Generated.TrySetException(new RpcException(new Status(StatusCode.FailedPrecondition, "no model is loaded"))));
            return;
        }
        _stats.GeneratorStarted(jobs.Count);
        try
        {
            var rows = jobs.SelectMany(j => j.Rows(lease.Version)).ToList();
            var batch = lease.Engine.Run(rows);
            _stats.BatchDone(batch);
            RolloutLog.BatchDone(_logger, jobs.Count, batch.Rows, lease.Version, batch.GeneratedTokens, batch.Prefill.TotalMilliseconds, batch.Decode.TotalMilliseconds);
            jobs.ForEach(j => j.Generated.TrySetResult());
        }
        catch (Exception ex)
        {
            RolloutLog.BatchFailed(_logger, jobs.Count, ex.Message);
            _stats.Error($"generator failed: {ex.Message}");
            jobs.ForEach(j => j.Generated.TrySetException(ex));
        }
        finally
        {
            _stats.GeneratorEnded(jobs.Count);
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        try
        {
            Task.WaitAll(_workers, TimeSpan.FromSeconds(30));
        }
        catch (AggregateException)
        {
            // A worker's failure was already reported to its jobs.
        }
        lock (_lock)
        {
            foreach (var job in _queue)
            {
                job.Generated.TrySetException(new RpcException(new Status(StatusCode.Unavailable, "the worker is stopping")));
            }
            _queue.Clear();
        }
        _stopping.Dispose();
    }
}
