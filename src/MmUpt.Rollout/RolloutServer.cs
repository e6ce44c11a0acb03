using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MmUpt.Contracts.V1;
using MmUpt.Hosting;

namespace MmUpt.Rollout;

/// <summary>Builds the <c>mmupt rollout</c> process.</summary>
public static class RolloutServer
{
    public const int DefaultPort = 50051;

    public static WebApplication Build(ServerOptions server, RolloutOptions options) =>
        GrpcServerHost.Build(ProcessRole.Rollout, server, options.Device,
            services => services.AddSingleton(options),
            app => app.MapGrpcService<RolloutStatusService>());
}
