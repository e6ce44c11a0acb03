using System.Diagnostics;
using Polly;
using Polly.Hedging;
using Polly.Retry;
using Polly.Timeout;

namespace MmUpt.Training.Dispatch;

/// <summary>
/// Runs one group on the replicas until one attempt succeeds: each attempt takes the least-loaded ready replica (another
/// one than those the group already failed on, when one is ready), a new attempt number, a deadline, and the replica's
/// circuit breaker. Failed attempts are retried (Polly retry) or, with <see cref="ReplicaOptions.HedgeAfter"/>, a
/// straggler gets a second attempt on another replica and the first to answer wins (Polly hedging). The losing attempt
/// may still deliver its samples to the voting service: the collector keeps the first attempt of a group and drops the
/// rest, so a group is trained on once.
/// </summary>
public sealed class GroupDispatcher<T>
{
    private readonly ReplicaSet _replicas;
    private readonly ReplicaOptions _options;
    private readonly ResiliencePipeline<DispatchOutcome<T>> _pipeline;

    private readonly Func<CancellationToken, Task>? _resync;

    /// <param name="resync">Called while no replica is ready, to bring back replicas that need a sync; null = wait only.</param>
    public GroupDispatcher(ReplicaSet replicas, ReplicaOptions options, Func<CancellationToken, Task>? resync = null)
    {
        _replicas = replicas;
        _resync = resync;
        _options = options;
        var builder = new ResiliencePipelineBuilder<DispatchOutcome<T>>();
        var retryable = new PredicateBuilder<DispatchOutcome<T>>().Handle<Exception>(e => e is not OperationCanceledException || e is TimeoutRejectedException);
        if (options.HedgeAfter > TimeSpan.Zero && options.MaxAttempts > 1)
            builder.AddHedging(new HedgingStrategyOptions<DispatchOutcome<T>>
            {
                MaxHedgedAttempts = options.MaxAttempts - 1,
                Delay = options.HedgeAfter,
                ShouldHandle = retryable,
            });
        else if (options.MaxAttempts > 1)
            builder.AddRetry(new RetryStrategyOptions<DispatchOutcome<T>>
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Constant,
                ShouldHandle = retryable,
            });
        builder.AddTimeout(options.CallDeadline);
        _pipeline = builder.Build();
    }

    /// <summary>
    /// Runs <paramref name="call"/> for group <paramref name="groupId"/> until an attempt succeeds; attempt numbers come
    /// from <paramref name="nextAttempt"/> (the collector's, so they never repeat). Throws the last failure when every
    /// attempt failed.
    /// </summary>
    public async Task<DispatchOutcome<T>> RunAsync(string groupId, ulong minVersion, Func<uint> nextAttempt,
        Func<Replica, uint, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var tried = new List<string>();
        return await _pipeline.ExecuteAsync(async token =>
        {
            using var lease = await AcquireAsync(minVersion, tried, token);
            var replica = lease.Replica;
            var attempt = nextAttempt();
            lock (tried) tried.Add(replica.Address);
            var watch = Stopwatch.StartNew();
            try
            {
                var result = await replica.Pipeline.ExecuteAsync(async ct => await call(replica, attempt, ct), token);
                return new DispatchOutcome<T>(result, attempt, replica.Address);
            }
            catch (Exception) when (token.IsCancellationRequested && !cancellationToken.IsCancellationRequested && watch.Elapsed < _options.CallDeadline)
            {
                // A hedged twin answered first: this attempt is abandoned, not failed.
                _replicas.Raise($"group {groupId} attempt {attempt} on {replica.Address} abandoned: another attempt answered first");
                throw;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                _replicas.MarkFailed(replica, ex);
                var why = token.IsCancellationRequested ? $"no answer within the {_options.CallDeadline.TotalSeconds:0.#} s deadline" : _replicas.Describe(ex);
                _replicas.Raise($"group {groupId} attempt {attempt} on {replica.Address} failed after {watch.Elapsed.TotalSeconds:0.0} s: {why}");
                throw;
            }
        }, cancellationToken);
    }

    // Waits (within the attempt's deadline) for a ready replica rather than spending an attempt on none.
    private async Task<ReplicaLease> AcquireAsync(ulong minVersion, List<string> tried, CancellationToken token)
    {
        while (true)
        {
            ReplicaLease? lease;
            lock (tried) lease = _replicas.TryAcquire(minVersion, tried);
            if (lease is not null) return lease;
            if (_resync is not null) await _resync(token);
            await Task.Delay(_options.RetryDelay > TimeSpan.Zero ? _options.RetryDelay : TimeSpan.FromMilliseconds(50), token);
        }
    }
}
