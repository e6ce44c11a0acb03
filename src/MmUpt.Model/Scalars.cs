using System.Collections.Concurrent;
using TorchSharp;

namespace MmUpt.Model;

/// <summary>
/// Scalars that stay alive. A .NET number passed where TorchSharp takes a <see cref="Scalar"/> (<c>masked_fill(m, v)</c>,
/// <c>clamp(lo, hi)</c>, <c>pow(2)</c>) becomes a temporary native Scalar whose managed wrapper is unreachable as soon as
/// its handle is read; a GC on another thread can finalize it — freeing the native value — while libtorch is still
/// reading it (seen as "Expected false to be true" from <c>c10::Scalar::toFloat</c> in the learner's attention mask).
/// TorchSharp's operators with a .NET number (<c>t * 0.125</c>) are no safer in 0.107: <c>scores * Math.Pow(d, -0.5)</c>
/// failed once with "Unknown scalar type" from <c>at::native::mul</c> in a benchmark of the sampling loop. Every number
/// handed to TorchSharp goes through here: one Scalar per distinct value, held by a static table and never finalized.
/// Use it for constants and configuration values (a bounded set), not for per-step data.
/// </summary>
public static class Scalars
{
    private static readonly ConcurrentDictionary<double, Scalar> Cache = new();

    public static Scalar Of(double value) => Cache.GetOrAdd(value, v => v.ToScalar());
}
