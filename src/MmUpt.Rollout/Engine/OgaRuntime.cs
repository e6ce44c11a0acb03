using Microsoft.ML.OnnxRuntimeGenAI;

namespace MmUpt.Rollout.Engine;

/// <summary>
/// The process's one <see cref="OgaHandle"/>, created before the first model and never disposed: disposing it shuts
/// ORT GenAI down, and a second handle after that crashes later loads (upstream #1896). The native heap is tuned for
/// ORT GenAI's per-step KV allocations first (<see cref="MmUpt.Core.CpuAllocator"/>).
/// </summary>
public static class OgaRuntime
{
    private static readonly Lazy<OgaHandle> Handle = new(() =>
    {
        MmUpt.Core.CpuAllocator.Tune();
        return new OgaHandle();
    });

    public static void Ensure() => _ = Handle.Value;
}
