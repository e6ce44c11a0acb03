using System.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MmUpt.Hosting;

/// <summary>
/// Gives memory back to the OS after a burst of load: once the process's activity counter has not moved for
/// <see cref="IdleAfter"/> (and moved since the last trim), one blocking, compacting, aggressive full GC decommits
/// the free managed heap. Without it the heap the GC grew under load stays committed (issue 11: after the fault drill's
/// load the voting service was still at its peak, 153 MiB against 98 MiB before; with the trim it went to 90 MiB within
/// the test's wait). The blocking collection runs only when the
/// process is idle, never under load.
/// </summary>
public sealed partial class IdleMemoryTrimmer(Func<long> activity, TimeSpan idleAfter, ILogger<IdleMemoryTrimmer> logger, TimeProvider time)
    : BackgroundService
{
    public TimeSpan IdleAfter => idleAfter;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(idleAfter, time);
        long seen = activity(), trimmedAt = seen;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var now = activity();
            if (now == seen && now != trimmedAt)
            {
                var before = Environment.WorkingSet;
                GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                Trimmed(logger, before >> 20, Environment.WorkingSet >> 20);
                trimmedAt = now;
            }
            seen = now;
        }
    }

    [LoggerMessage(EventId = 9101, Level = LogLevel.Debug, Message = "Idle: memory trimmed from {BeforeMiB} MiB to {AfterMiB} MiB resident")]
    private static partial void Trimmed(ILogger logger, long beforeMiB, long afterMiB);
}
