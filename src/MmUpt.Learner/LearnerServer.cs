using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MmUpt.Contracts.V1;
using MmUpt.Hosting;
using MmUpt.Hosting.Security;
using MmUpt.Learner.Publishing;
using MmUpt.Learner.Sources;
using MmUpt.Weights;

namespace MmUpt.Learner;

/// <summary>
/// Builds the <c>mmupt learn</c> process: the models are loaded (or the run resumed) before it listens. Without a
/// checkpoint it serves status only (phase IDLE), like a rollout worker without a model.
/// </summary>
public static class LearnerServer
{
    public const int DefaultPort = 50053;

    /// <summary>A step in progress must finish and the checkpoint be written before the process exits on SIGTERM.</summary>
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromMinutes(30);

    public static WebApplication Build(ServerOptions server, LearnerOptions options) => Build(server, new SecurityOptions(), options, null);

    public static WebApplication Build(ServerOptions server, SecurityOptions security, LearnerOptions options) => Build(server, security, options, null);

    /// <param name="inProcess">groups handed over in-process; null: the voting service at VotingAddress, or nothing</param>
    public static WebApplication Build(ServerOptions server, LearnerOptions options, InProcessGroupSource? inProcess) =>
        Build(server, new SecurityOptions(), options, inProcess);

    private static IScoredGroupSource Source(LearnerOptions options, InProcessGroupSource? inProcess, IServiceProvider sp)
    {
        if (inProcess is not null) return inProcess;
        if (string.IsNullOrEmpty(options.VotingAddress)) return new InProcessGroupSource();
        return new VotingGroupSource(options.VotingAddress, options.Consumer, sp.GetRequiredService<ChannelFactory>(),
            sp.GetRequiredService<ILogger<VotingGroupSource>>());
    }

    private static WebApplication Build(ServerOptions server, SecurityOptions security, LearnerOptions options, InProcessGroupSource? inProcess)
    {
        if (string.IsNullOrEmpty(options.Checkpoint))
        {
            return GrpcServerHost.Build(ProcessRole.Learner, server, security, options.Device,
                services => services.AddSingleton(options).AddSingleton(new LearnerStatusBoard()).AddSingleton<IRoleMetrics>(Metrics),
                MapServices);
        }
        var app = GrpcServerHost.Build(ProcessRole.Learner, server, security, options.Device,
            services =>
            {
                services.AddSingleton(options);
                // Weights versions live in the work folder, next to the checkpoints they come from.
                services.AddWeightsPublishing(new WeightsPublishingOptions { Folder = Path.Combine(options.Work!, "weights") });
                services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
                services.AddSingleton(sp => Source(options, inProcess, sp));
                services.AddSingleton(sp => new LearnerRun(options, sp.GetRequiredService<IScoredGroupSource>(), sp.GetRequiredService<ILogger<LearnerRun>>()));
                services.AddSingleton(sp => sp.GetRequiredService<LearnerRun>().Status);
                services.AddSingleton<IRoleMetrics>(Metrics);
                services.AddHostedService<LearnerHostedService>();
            },
            MapServices);
        // Load now: a bad checkpoint or work folder fails the start with one line, before the port is bound.
        app.Services.GetRequiredService<LearnerRun>();
        return app;
    }

    private static LearnerMetrics Metrics(IServiceProvider sp) => new(sp.GetRequiredService<LearnerStatusBoard>().Snapshot);

    private static void MapServices(WebApplication app)
    {
        app.MapGrpcService<LearnerStatusService>();
        if (app.Services.GetService<WeightsStore>() is not null) app.MapGrpcService<WeightsGrpcService>();
    }
}
