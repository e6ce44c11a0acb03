using System.Runtime.InteropServices;

namespace MmUpt.Core;

/// <summary>
/// glibc's malloc hands every block above its (dynamic, at most 32 MiB) mmap threshold to <c>mmap</c> and gives memory
/// back to the kernel after each large <c>free</c>. Both engines free and re-allocate such blocks all the time:
/// libtorch's CPU allocator the same activation and gradient buffers every micro-step, so a CPU learner spent much of its
/// time in page faults (measured on the tiny preset's SFT: system time 22 s of 56 s CPU, 12 s of 40 s with this); ORT
/// GenAI 0.18 every layer's present key and value every decode step, each a little larger than the last (measured once
/// with a throwaway harness: 12 concatenations into fresh 0.4 MB blocks took 3.0 ms, into reused ones 0.3 ms; a
/// small-preset G = 16 decode step 4.2 → 2.8 ms with this). PyTorch users swap in jemalloc or tcmalloc for the same reason. This keeps freed memory in the process
/// instead: blocks up to 32 MiB come from the heap, the top of the heap is trimmed only above 1 GiB, and the heap grows
/// in 256 MiB steps. Linux glibc only; elsewhere a no-op. Call once, before the first model is built.
/// </summary>
public static class CpuAllocator
{
    private const int MTrimThreshold = -1;
    private const int MTopPad = -2;
    private const int MMmapThreshold = -3;

    public static bool Tuned { get; private set; }

    public static void Tune()
    {
        if (Tuned || !OperatingSystem.IsLinux()) return;
        try
        {
            Tuned = mallopt(MMmapThreshold, 32 << 20) == 1 & mallopt(MTrimThreshold, 1 << 30) == 1 & mallopt(MTopPad, 256 << 20) == 1;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // musl or another libc without mallopt: keep its defaults.
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int param, int value);
}
