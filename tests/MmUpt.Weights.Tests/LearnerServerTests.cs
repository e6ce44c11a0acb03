using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using MmUpt.Contracts.V1;
using MmUpt.Hosting;
using MmUpt.Learner;
using MmUpt.Presets;
using MmUpt.Testing;

namespace MmUpt.Weights.Tests;

/// <summary>The learner process serves WeightsService (not UNIMPLEMENTED) from its weights store.</summary>
public sealed class LearnerServerTests
{
    [Fact]
    public async Task The_learner_serves_WeightsService_from_its_store()
    {
        // WeightsService serves the versions of a training learner: they live in its work folder.
        using var dir = new TempDir();
        var checkpoint = Path.Combine(dir.Path, "hf");
        CheckpointInitializer.Write(CheckpointPreset.Get("tiny"), checkpoint, seed: 1);
        var app = LearnerServer.Build(new ServerOptions { Port = 0 },
            new LearnerOptions { Checkpoint = checkpoint, Work = Path.Combine(dir.Path, "work") });
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
