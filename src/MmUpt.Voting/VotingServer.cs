using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using MmUpt.Contracts.V1;
using MmUpt.Hosting;
using MmUpt.Hosting.Security;

namespace MmUpt.Voting;

/// <summary>Builds the <c>mmupt vote</c> process.</summary>
public static class VotingServer
{
    public const int DefaultPort = 50052;

    public static WebApplication Build(ServerOptions server, VotingOptions options) => Build(server, new SecurityOptions(), options);

    public static WebApplication Build(ServerOptions server, SecurityOptions security, VotingOptions options) =>
        GrpcServerHost.Build(ProcessRole.Voting, server, security, device: "",
            services =>
            {
                services.AddSingleton(options);
                services.TryAddSingleton(TimeProvider.System);
                services.AddSingleton<VotingHub>();
                services.AddHostedService<GroupExpiryService>();
                if (options.IdleTrimAfter > TimeSpan.Zero)
                {
                    services.AddHostedService(sp => new IdleMemoryTrimmer(sp.GetRequiredService<VotingHub>().Stats.Activity, options.IdleTrimAfter,
                        sp.GetRequiredService<ILogger<IdleMemoryTrimmer>>(), sp.GetRequiredService<TimeProvider>()));
                }
                services.AddSingleton<IRoleMetrics, VotingMetrics>();
            },
            app => app.MapGrpcService<VotingGrpcService>());
}
