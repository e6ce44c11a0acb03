using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MmUpt.Contracts.V1;
using MmUpt.Hosting;
using MmUpt.Learner.Publishing;
using MmUpt.Weights;

namespace MmUpt.Learner;

/// <summary>Builds the <c>mmupt learn</c> process.</summary>
public static class LearnerServer
{
    public const int DefaultPort = 50053;

    public static WebApplication Build(ServerOptions server, LearnerOptions options) =>
        GrpcServerHost.Build(ProcessRole.Learner, server, options.Device,
            services => services.AddSingleton(options).AddWeightsPublishing(new WeightsPublishingOptions()),
            app =>
            {
                app.MapGrpcService<LearnerStatusService>();
                app.MapGrpcService<WeightsGrpcService>();
            });
}
