using Microsoft.Extensions.Hosting;

namespace MmUpt.Learner;

/// <summary>Runs <see cref="LearnerRun.Run"/> on its own long-running thread; stopping the host (SIGTERM) ends the step in progress and checkpoints.</summary>
public sealed class LearnerHostedService(LearnerRun run) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => run.Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
