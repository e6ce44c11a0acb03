using System.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MmUpt.Hosting;

/// <summary>
/// Gives memory back to the OS after a burst of load: once the process's activity counter has not moved for
/// <see cref="IdleAfter"/> (and moved since the last trim), one blocking, compacting, aggressive full GC decommits
/// the free managed heap. Without it a server keeps its peak heap for good — the GC grows the heap under load and a
/// workstation GC decommits little on its own (issue 11: the voting service's resident memory stayed at its peak,
/// 153 MiB against 98 MiB before the load, through a 60-second wait after the load ended). The blocking collection runs only when the
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
