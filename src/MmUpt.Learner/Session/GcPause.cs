using System.Runtime;

namespace MmUpt.Learner.Session;

/// <summary>
/// Holds the .NET GC off while a block of TorchSharp work runs. TorchSharp 0.107 passes temporary <c>Scalar</c>s to
/// native code without keeping them alive (e.g. the implicit <c>alpha = 1</c> of <c>Tensor.add(Tensor)</c>); a GC
/// triggered by another thread's allocations (gRPC, the voting feed in async mode) can finalize one — freeing its native
/// value — while libtorch reads it: "Expected false to be true" (<c>Scalar::toFloat</c>) or "Unknown scalar type", seen
/// after a few steps of async runs. Our own arguments go through <c>Scalars.Of</c>; TorchSharp's internal ones cannot,
/// so no GC may run during the work: a no-GC region with <see cref="Budget"/> bytes for every thread's allocations
/// (should they exceed it, the runtime collects anyway and the region ends early — the old behaviour, now rare).
/// </summary>
public static class GcPause
{
    /// <summary>Allocation budget of one region; within the runtime's limit for a no-GC region on 64-bit.</summary>
    public const long Budget = 200L << 20;

    public static T Run<T>(Func<T> work)
    {
        var paused = false;
        try
        {
            paused = GC.TryStartNoGCRegion(Budget);
        }
        catch (Exception ex) when (ex is ArgumentOutOfRangeException or InvalidOperationException)
        {
            // Budget above this runtime's limit, or a region already open (nested): run without one.
        }
        try
        {
            return work();
        }
        finally
        {
            if (paused && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
            {
                try
                {
                    GC.EndNoGCRegion();
                }
                catch (InvalidOperationException)
                {
                    // The budget was exceeded and a GC ended the region already.
                }
            }
        }
    }
}
