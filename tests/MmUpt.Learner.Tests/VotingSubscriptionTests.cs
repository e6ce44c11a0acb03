using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using MmUpt.Contracts.V1;
using MmUpt.Core.Options;
using MmUpt.Hosting;
using MmUpt.Testing;
using MmUpt.Voting;

namespace MmUpt.Learner.Tests;

/// <summary>The learner subscribed to a real voting service: groups are voted, trained on, then acknowledged.</summary>
public class VotingSubscriptionTests
{
    private static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    [Fact]
    public async Task TrainsOnVotedGroupsAndAcknowledgesThemAfterTheStep()
    {
        await using var voting = VotingServer.Build(new ServerOptions { Port = 0 }, new VotingOptions());
        await voting.StartAsync();
        var votingClient = new VotingService.VotingServiceClient(GrpcChannel.ForAddress(Address(voting)));
        using (var submit = votingClient.Submit())
        {
            foreach (var g in LearnerFixtures.TwoTextGroups(50))
            {
                foreach (var scored in g.Samples)
                {
                    var s = scored.Sample;
                    s.ResponseText = s.Index == 3 ? "so \\boxed{5}" : "so \\boxed{3}";
                    s.FinishReason = FinishReason.Stop;
                    await submit.RequestStream.WriteAsync(new SubmitRequest { Sample = s });
                }
            }
            await submit.RequestStream.CompleteAsync();
            Assert.Equal(2u, (await submit.ResponseAsync).CompletedGroups);
        }

        using var work = new TempDir();
        var options = new LearnerOptions
        {
            Checkpoint = LearnerFixtures.TinyCheckpoint, Work = work.Path, GroupsPerStep = 2, VotingAddress = Address(voting),
            Trainer = LearnerFixtures.Options(),
        };
        OptionsBinder.Validate(options, LearnerOptions.Section);
        await using var learner = LearnerServer.Build(new ServerOptions { Port = 0 }, options);
        await learner.StartAsync();
        var learnerClient = new LearnerService.LearnerServiceClient(GrpcChannel.ForAddress(Address(learner)));
        var until = DateTime.UtcNow + TimeSpan.FromMinutes(10);
        LearnerStatus status;
        VotingStatus votes;
        while (true)
        {
            status = await learnerClient.GetStatusAsync(new GetLearnerStatusRequest());
            votes = await votingClient.GetStatusAsync(new GetVotingStatusRequest());
            if (status.Step >= 1 && votes.GroupsUnacknowledged == 0 && votes.GroupsReady == 0) break;
            Assert.True(DateTime.UtcNow < until, $"learner {status}, voting {votes}");
            await Task.Delay(100);
        }
        Assert.Equal(0.75, status.LastStepMetrics["reward_mean"], 6);
        Assert.Equal(0u, status.RejectedGroups);
        await learner.StopAsync();
        await voting.StopAsync();
    }
}
