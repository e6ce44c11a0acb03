using Polly;
using Polly.CircuitBreaker;

namespace MmUpt.Training.Dispatch;

/// <summary>
/// One rollout replica as the step loop sees it: its outstanding calls (the least-loaded choice), the weights version
/// it was last synced to, and its own circuit breaker. A replica that joined, or whose circuit opened (it failed or
/// went away), needs a sync before it serves: the sync is the breaker's probe.
/// </summary>
public sealed class Replica
{
    private readonly CircuitBreakerStateProvider _state = new();
    private int _outstanding;

    internal Replica(string address, ReplicaOptions options, Func<Exception, bool> isFault, Action<Replica, string> onEvent)
    {
        Address = address;
        Pipeline = new ResiliencePipelineBuilder().AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            FailureRatio = options.BreakerFailureRatio,
            MinimumThroughput = options.BreakerMinimumThroughput,
            SamplingDuration = TimeSpan.FromSeconds(Math.Max(30, 3 * options.BreakerBreakDuration.TotalSeconds)),
            BreakDuration = options.BreakerBreakDuration,
            StateProvider = _state,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && isFault(e)),
            OnOpened = _ =>
            {
                NeedsSync = true;
                onEvent(this, $"circuit opened for {options.BreakerBreakDuration.TotalSeconds:0.#} s");
                return ValueTask.CompletedTask;
            },
            OnClosed = _ =>
            {
                onEvent(this, "circuit closed");
                return ValueTask.CompletedTask;
            },
        }).Build();
    }

    /// <summary>The replica's gRPC address, e.g. <c>http://127.0.0.1:50051</c>.</summary>
    public string Address { get; }

    /// <summary>Every call to the replica (generate and sync) goes through this, so failures open its circuit.</summary>
    public ResiliencePipeline Pipeline { get; }

    public CircuitState Circuit => _state.CircuitState;

    /// <summary>Calls in flight on this replica.</summary>
    public int Outstanding => Volatile.Read(ref _outstanding);

    /// <summary>The weights version the replica confirmed in its last SyncWeights reply; null before the first sync.</summary>
    public ulong? SyncedVersion { get; internal set; }

    /// <summary>Whether the replica must be synced before it serves (new, or back after its circuit opened).</summary>
    public bool NeedsSync { get; internal set; } = true;

    /// <summary>Calls that failed on this replica since start.</summary>
    public int Failures { get; internal set; }

    /// <summary>Whether the replica can take a group that needs at least <paramref name="minVersion"/>.</summary>
    public bool IsReady(ulong minVersion) =>
        !NeedsSync && SyncedVersion >= minVersion && Circuit is CircuitState.Closed or CircuitState.HalfOpen;

    internal void Enter() => Interlocked.Increment(ref _outstanding);

    internal void Leave() => Interlocked.Decrement(ref _outstanding);
}
