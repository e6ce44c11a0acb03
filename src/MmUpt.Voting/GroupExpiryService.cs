using Microsoft.Extensions.Hosting;

namespace MmUpt.Voting;

/// <summary>Sweeps expired incomplete groups and expired leases every quarter group timeout (at most once a second).</summary>
internal sealed class GroupExpiryService(VotingHub hub, VotingOptions options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromTicks(Math.Min(TimeSpan.TicksPerSecond, options.GroupTimeout.Ticks / 4));
        using var timer = new PeriodicTimer(period, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            hub.ExpireStale();
        }
    }
}
