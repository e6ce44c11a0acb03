using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MmUpt.Contracts.V1;
using MmUpt.Hosting;

namespace MmUpt.Voting;

/// <summary>Builds the <c>mmupt vote</c> process.</summary>
public static class VotingServer
{
    public const int DefaultPort = 50052;

    public static WebApplication Build(ServerOptions server, VotingOptions options)
    {
        var builder = GrpcServerHost.CreateBuilder(ProcessRole.Voting, server, device: "");
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<VotingHub>();
        builder.Services.AddHostedService<GroupExpiryService>();
        var app = builder.Build();
        app.MapGrpcService<VotingGrpcService>();
        return app.MapDefaults();
    }
}
