using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using MmUpt.Contracts.V1;
using MmUpt.Core.Options;
using MmUpt.Hosting;
using MmUpt.Learner.Sources;
using MmUpt.Testing;

namespace MmUpt.Learner.Tests;

/// <summary>The learner process on a real Kestrel server (port 0), fed in-process, queried over gRPC.</summary>
public class LearnerServerTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(10);

    private static LearnerOptions Options(string work, bool resume = false)
    {
        var o = new LearnerOptions
        {
            Checkpoint = LearnerFixtures.TinyCheckpoint, Work = work, GroupsPerStep = 2, CheckpointEvery = 100, Resume = resume,
            Trainer = LearnerFixtures.Options(),
        };
        OptionsBinder.Validate(o, LearnerOptions.Section);
        return o;
    }

    private static LearnerService.LearnerServiceClient Client(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LearnerService.LearnerServiceClient(GrpcChannel.ForAddress(address));
    }

    private static async Task<LearnerStatus> WaitFor(LearnerService.LearnerServiceClient client, Func<LearnerStatus, bool> done)
    {
        var until = DateTime.UtcNow + Deadline;
        while (true)
        {
            var s = await client.GetStatusAsync(new GetLearnerStatusRequest());
            if (done(s)) return s;
            Assert.True(DateTime.UtcNow < until, $"status never reached the condition; last: {s}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task TrainsOnGivenGroupsRejectsBadOnesAndCheckpointsOnStop()
    {
        using var work = new TempDir();
        var source = new InProcessGroupSource();
        var server = new ServerOptions { Port = 0 };
        await using (var app = LearnerServer.Build(server, Options(work.Path), source))
        {
            await app.StartAsync();
            var client = Client(app);
            var bad = LearnerFixtures.TwoTextGroups(40)[0];
            bad.GroupId = "broken";
            foreach (var s in bad.Samples) s.Sample.GroupId = "broken";
            bad.Samples[2].Sample.BehaviourLogprobs.Clear();
            source.Submit(bad);
            foreach (var g in LearnerFixtures.TwoTextGroups(41)) source.Submit(g);
            foreach (var g in LearnerFixtures.TwoTextGroups(42)) source.Submit(g);

            // Stop while the second step may still be running: it completes and the checkpoint includes it.
            var status = await WaitFor(client, s => s.Step >= 1);
            Assert.Equal(1u, status.RejectedGroups);
            Assert.Contains("group \"broken\": samples[2].behaviour_logprobs: is missing", status.LastRejection);
            Assert.True(status.LastStepMetrics.ContainsKey("pg_loss") && status.LastStepMetrics.ContainsKey("grad_norm"));
            Assert.Equal(0.5, status.LastStepMetrics["reward_mean"], 6);
            await app.StopAsync();
        }
        Assert.Contains(source.Acknowledged, k => k.GroupId == "broken");
        Assert.Contains(source.Acknowledged, k => k.GroupId == "g41-0");
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(work.Path, "tensorboard"), "events.out.tfevents*", SearchOption.AllDirectories));
        Assert.True(File.Exists(Path.Combine(work.Path, "final", "model.safetensors")));
        var checkpoint = Assert.Single(Directory.GetDirectories(Path.Combine(work.Path, "checkpoints")));

        // The same work folder without --resume is refused; with it the run continues from the checkpoint.
        var refused = Assert.Throws<OptionsException>(() => LearnerServer.Build(new ServerOptions { Port = 0 }, Options(work.Path)));
        Assert.Equal("Learner:Resume", refused.Key);
        await using (var app = LearnerServer.Build(new ServerOptions { Port = 0 }, Options(work.Path, resume: true), new InProcessGroupSource()))
        {
            await app.StartAsync();
            var status = await Client(app).GetStatusAsync(new GetLearnerStatusRequest());
            var step = (ulong)int.Parse(Path.GetFileName(checkpoint)["step-".Length..]);
            Assert.Equal(step, status.Step);
            Assert.Equal(checkpoint, status.LastCheckpoint);
            Assert.Equal(ProcessRole.Learner, status.Process.Role);
            await app.StopAsync();
        }
    }
}
