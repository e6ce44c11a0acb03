using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MmUpt.Contracts.V1;
using MmUpt.Hosting;

namespace MmUpt.Learner;

/// <summary>Builds the <c>mmupt learn</c> process.</summary>
public static class LearnerServer
{
    public const int DefaultPort = 50053;

    public static WebApplication Build(ServerOptions server, LearnerOptions options)
    {
        var builder = GrpcServerHost.CreateBuilder(ProcessRole.Learner, server, options.Device);
        builder.Services.AddSingleton(options);
        var app = builder.Build();
        app.MapGrpcService<LearnerStatusService>();
        return app.MapDefaults();
    }
}
