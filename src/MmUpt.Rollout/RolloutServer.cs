using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MmUpt.Contracts.V1;
using MmUpt.Hosting;
using MmUpt.Hosting.Security;
using MmUpt.Rollout.Delivery;
using MmUpt.Rollout.Generation;
using MmUpt.Rollout.Weights;

namespace MmUpt.Rollout;

/// <summary>Builds the <c>mmupt rollout</c> process; the model (version 0) loads before the server listens.</summary>
public static class RolloutServer
{
    public const int DefaultPort = 50051;

    public static WebApplication Build(ServerOptions server, RolloutOptions options) => Build(server, new SecurityOptions(), options);

    public static WebApplication Build(ServerOptions server, SecurityOptions security, RolloutOptions options) =>
        GrpcServerHost.Build(ProcessRole.Rollout, server, security, options.Device,
            services =>
            {
                services.AddSingleton(options);
                services.AddSingleton<RolloutStats>();
                services.AddSingleton<ModelRegistry>();
                services.AddSingleton<WeightsSync>();
                services.AddSingleton<GenerationScheduler>();
                services.AddSingleton<GenerateRequestReader>();
                services.AddSingleton<RequestCache>();
                services.AddSingleton<VotingClients>();
                services.AddSingleton<IRoleMetrics, RolloutMetrics>();
            },
            app =>
            {
                app.Services.GetRequiredService<WeightsSync>();
                app.Services.GetRequiredService<GenerationScheduler>();
                app.MapGrpcService<RolloutGrpcService>();
            });
}
