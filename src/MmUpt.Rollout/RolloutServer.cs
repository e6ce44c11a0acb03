using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MmUpt.Contracts.V1;
using MmUpt.Hosting;

namespace MmUpt.Rollout;

/// <summary>Builds the <c>mmupt rollout</c> process.</summary>
public static class RolloutServer
{
    public const int DefaultPort = 50051;

    public static WebApplication Build(ServerOptions server, RolloutOptions options)
    {
        var builder = GrpcServerHost.CreateBuilder(ProcessRole.Rollout, server, options.Device);
        builder.Services.AddSingleton(options);
        var app = builder.Build();
        app.MapGrpcService<RolloutStatusService>();
        return app.MapDefaults();
    }
}
