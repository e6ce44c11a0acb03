using System.Diagnostics;
using MmUpt.Rollout.Engine;

namespace MmUpt.Rollout;

/// <summary>
/// Counters behind GetStatus. Rates are over the last minute: generated tokens and samples per wall-clock second, and
/// prefill and decode tokens per second of generator time in each phase (what one generator achieves in each).
/// </summary>
public sealed class RolloutStats
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly Lock _lock = new();
    private readonly Queue<(long At, BatchStats Batch)> _recent = new();
    private readonly Queue<long> _recentSamples = new();
    private readonly long _start = Stopwatch.GetTimestamp();
    private int _inFlight;
    private long _promptTokens, _generatedTokens, _syncs, _errors;
    private double _prefillSeconds, _decodeSeconds, _syncSeconds;

    public long GroupsCompleted { get; private set; }
    public long SamplesCompleted { get; private set; }
    public int InFlight => Volatile.Read(ref _inFlight);
    public int Generators { get; private set; }
    public string LastError { get; private set; } = "";
    public DateTime? LastSync { get; private set; }

    /// <summary>Totals since start, for the metrics endpoint: tokens and generator seconds of every batch, syncs, errors.</summary>
    public (long PromptTokens, long GeneratedTokens, double PrefillSeconds, double DecodeSeconds, long Syncs, double SyncSeconds, long Errors) Totals()
    {
        lock (_lock)
        {
            return (_promptTokens, _generatedTokens, _prefillSeconds, _decodeSeconds, _syncs, _syncSeconds, _errors);
        }
    }

    public void GeneratorStarted(int groups)
    {
        Interlocked.Add(ref _inFlight, groups);
        lock (_lock)
        {
            Generators++;
        }
    }

    public void GeneratorEnded(int groups)
    {
        Interlocked.Add(ref _inFlight, -groups);
        lock (_lock)
        {
            Generators--;
        }
    }

    public void BatchDone(BatchStats batch)
    {
        lock (_lock)
        {
            _recent.Enqueue((Stopwatch.GetTimestamp(), batch));
            (_promptTokens, _generatedTokens) = (_promptTokens + batch.PromptTokens, _generatedTokens + batch.GeneratedTokens);
            (_prefillSeconds, _decodeSeconds) = (_prefillSeconds + batch.Prefill.TotalSeconds, _decodeSeconds + batch.Decode.TotalSeconds);
            Trim();
        }
    }

    public void SampleDelivered()
    {
        lock (_lock)
        {
            SamplesCompleted++;
            _recentSamples.Enqueue(Stopwatch.GetTimestamp());
            Trim();
        }
    }

    public void GroupCompleted()
    {
        lock (_lock)
        {
            GroupsCompleted++;
        }
    }

    public void Error(string message)
    {
        lock (_lock)
        {
            LastError = $"{DateTime.UtcNow:O} {message}";
            _errors++;
        }
    }

    /// <param name="took">fetch, verify and load of the new version</param>
    public void Synced(TimeSpan took)
    {
        lock (_lock)
        {
            LastSync = DateTime.UtcNow;
            (_syncs, _syncSeconds) = (_syncs + 1, _syncSeconds + took.TotalSeconds);
        }
    }

    /// <summary>(generated tokens/s, samples/s, prefill tokens/s, decode tokens/s) over the last minute.</summary>
    public (double Tokens, double Samples, double Prefill, double Decode) Rates()
    {
        lock (_lock)
        {
            Trim();
            var seconds = Math.Min(Window.TotalSeconds, Stopwatch.GetElapsedTime(_start).TotalSeconds);
            var batches = _recent.Select(r => r.Batch).ToList();
            var prefill = batches.Sum(b => b.Prefill.TotalSeconds);
            var decode = batches.Sum(b => b.Decode.TotalSeconds);
            var generated = batches.Sum(b => b.GeneratedTokens);
            return (generated / seconds, _recentSamples.Count / seconds,
                prefill > 0 ? batches.Sum(b => b.PromptTokens) / prefill : 0, decode > 0 ? generated / decode : 0);
        }
    }

    private void Trim()
    {
        while (_recent.TryPeek(out var r) && Stopwatch.GetElapsedTime(r.At) > Window)
        {
            _recent.Dequeue();
        }
        while (_recentSamples.TryPeek(out var s) && Stopwatch.GetElapsedTime(s) > Window)
        {
            _recentSamples.Dequeue();
        }
    }
}
