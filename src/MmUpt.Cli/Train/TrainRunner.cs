using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MmUpt.Contracts.V1;
using MmUpt.Core.Options;
using MmUpt.Data;
using MmUpt.Hosting;
using MmUpt.Hosting.Security;
using MmUpt.Learner;
using MmUpt.Learner.Loop;
using MmUpt.Onnx;
using MmUpt.Training.Guard;
using MmUpt.Training.Loop;
using MmUpt.Weights;

namespace MmUpt.Cli.Train;

/// <summary>
/// Runs a validated recipe as the learner process: LearnerService (status) and WeightsService (the run's weights
/// versions, for replicas without a shared file system) listen on <c>--port</c> while <see cref="TrainRun"/> works;
/// Ctrl-C / SIGTERM end the step in progress, checkpoint, and exit 0 (<c>--resume</c> continues).
/// </summary>
public static class TrainRunner
{
    public static async Task<int> RunAsync(TrainOptions train, CollapseGuardOptions guard, LearnerOptions learner, ServerOptions server,
        SecurityOptions security, CancellationToken cancellationToken)
    {
        learner.Checkpoint = train.Checkpoint;
        learner.Work = train.Out;
        learner.Seed = train.Seed;
        OptionsBinder.Validate(learner, LearnerOptions.Section);
        // Versions are ephemeral (the checkpoints are the run's durable state) and replicas check every version's SHA-256
        // sums, so the store skips fsync ("hash and seal" of a tiny-preset version: 17–20 ms with it, 7–9 ms without, in
        // `mmupt bench loop` logs on this project's machine).
        var store = new WeightsStore(Path.Combine(train.Out, "weights"), durable: false);
        var status = new LoopStatus();
        var board = new LearnerStatusBoard();
        TrainRun? run = null;
        LearnerStatus Snapshot() => run?.Snapshot() ?? board.Snapshot();
        var app = GrpcServerHost.Build(ProcessRole.Learner, server, security, learner.Device,
            services => services.AddSingleton(board).AddSingleton(store).AddSingleton(learner)
                .AddSingleton<IRoleMetrics>(new LearnerMetrics(Snapshot)),
            a =>
            {
                a.MapGrpcService<LearnerStatusService>();
                a.MapGrpcService<WeightsGrpcService>();
            });
        await using (app)
        {
            if (await GrpcServerHost.StartAsync(app, cancellationToken) is null) return CliRunner.Failed;
            var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("mmupt.train");
            run = new TrainRun(train, guard, learner, store, status, logger) { Channels = app.Services.GetRequiredService<ChannelFactory>() };
            using var mirror = new Timer(_ => board.Set(Snapshot()), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(500));
            using var display = new CancellationTokenSource();
            var progress = TrainProgress.ForConsole(Snapshot).RunAsync(display.Token);
            try
            {
                var summary = await run.RunAsync(stop.Token);
                await display.CancelAsync();
                await progress;
                board.Set(Snapshot());
                Console.WriteLine($"train {summary.Status}: {summary.Steps} steps, {summary.GroupsTrained} groups trained, weights v{summary.FinalVersion}" +
                    (summary.Reason.Length > 0 ? $" ({summary.Reason})" : "") + $"; final weights in {summary.Final}; run summary in {Path.Combine(Path.GetFullPath(train.Out), "run.json")}");
                return CliRunner.Ok;
            }
            catch (OptionsException ex)
            {
                return await CliRunner.UsageAsync(ex.Message);
            }
            catch (Exception ex) when (ex is DatasetFormatException or InvalidDataException or IOException or CheckpointRejectedException
                                           or InvalidOperationException or RpcException or UnauthorizedAccessException)
            {
                return await CliRunner.FailedAsync(ex.Message);
            }
            finally
            {
                await display.CancelAsync();
                await progress;
                await app.StopAsync(CancellationToken.None);
            }
        }
    }
}
