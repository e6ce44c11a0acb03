using System.Runtime.InteropServices;

namespace MmUpt.Rollout.Engine;

/// <summary>
/// Keeps glibc from giving large blocks back to the kernel between decode steps. ORT GenAI 0.18 allocates each layer's
/// present key and value afresh every step (no shared KV buffer with a Concat decoder), each a little larger than the
/// last; glibc serves blocks past its mmap threshold (128 KiB, adaptive) with fresh pages and unmaps them on free, so
/// every step page-faulted the whole cache in again: at G = 16 on the small preset a decode step went from 4.2 to 2.8 ms
/// with this (12 concatenations into fresh 0.4 MB blocks: 3.0 ms, into reused ones: 0.3 ms). Blocks up to 32 MiB then
/// come from the heap, and up to 128 MiB of freed heap is kept for reuse. Linux/glibc only; a no-op elsewhere.
/// </summary>
internal static partial class NativeHeap
{
    private const int MmapThreshold = -3;   // M_MMAP_THRESHOLD
    private const int TrimThreshold = -1;   // M_TRIM_THRESHOLD

    public static void KeepLargeBlocks()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        try
        {
            _ = mallopt(MmapThreshold, 32 << 20);   // glibc's maximum on 64-bit
            _ = mallopt(TrimThreshold, 128 << 20);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc: its allocator keeps its own policy.
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int mallopt(int param, int value);
}
