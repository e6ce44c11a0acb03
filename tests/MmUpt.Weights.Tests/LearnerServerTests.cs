using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using MmUpt.Contracts.V1;
using MmUpt.Hosting;
using MmUpt.Learner;

namespace MmUpt.Weights.Tests;

/// <summary>The learner process serves WeightsService (not UNIMPLEMENTED) from its weights store.</summary>
public sealed class LearnerServerTests
{
    [Fact]
    public async Task The_learner_serves_WeightsService_from_its_store()
    {
        var app = LearnerServer.Build(new ServerOptions { Port = 0 }, new LearnerOptions());
        await app.StartAsync();
        try
        {
            var store = app.Services.GetRequiredService<WeightsStore>();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var channel = GrpcChannel.ForAddress(address);
            var error = await Assert.ThrowsAsync<RpcException>(() =>
                new WeightsService.WeightsServiceClient(channel).GetManifestAsync(new GetManifestRequest()).ResponseAsync);
            Assert.Equal(StatusCode.NotFound, error.StatusCode);
            Assert.Empty(store.Versions());
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
