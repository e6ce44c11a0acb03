using System.Collections.Concurrent;
using TorchSharp;

namespace MmUpt.Model;

/// <summary>
/// Scalars that stay alive. A .NET number passed where TorchSharp takes a <see cref="Scalar"/> (<c>masked_fill(m, v)</c>,
/// <c>clamp(lo, hi)</c>, <c>pow(2)</c>) becomes a temporary native Scalar whose managed wrapper is unreachable as soon as
/// its handle is read; a GC on another thread can finalize it — freeing the native value — while libtorch is still
/// reading it (seen as "Expected false to be true" from <c>c10::Scalar::toFloat</c> in the learner's attention mask).
/// TorchSharp's own operators (<c>t * 2.0</c>) dispose their temporaries after the call and are safe; method arguments
/// go through here: one Scalar per distinct value, held by a static table and never finalized. Use it for constants and
/// configuration values (a bounded set), not for per-step data.
/// </summary>
public static class Scalars
{
    private static readonly ConcurrentDictionary<double, Scalar> Cache = new();

    public static Scalar Of(double value) => Cache.GetOrAdd(value, v => v.ToScalar());
}
