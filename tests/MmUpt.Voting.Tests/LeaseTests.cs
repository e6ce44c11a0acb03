using Grpc.Core;
using MmUpt.Contracts.V1;
using static MmUpt.Voting.Tests.Samples;

namespace MmUpt.Voting.Tests;

/// <summary>Issue 11, finding 1: groups delivered to a subscriber that leaves or freezes are not stranded.</summary>
public sealed class LeaseTests
{
    [Fact]
    public async Task Groups_taken_by_a_stray_subscriber_that_leaves_go_to_any_other_subscriber()
    {
        await using var server = await VotingTestServer.StartAsync();
        await server.SubmitAsync([.. Group("g1", "1"), .. Group("g2", "2")]);
        using (var stray = new Subscriber(server.Client, ""))
        {
            Assert.Equal(2, (await stray.ReadAsync(2)).Count);
        }
        await server.WaitForStatusAsync(s => s.Subscribers == 0);

        using var learner = new Subscriber(server.Client, "learner");
        var groups = await learner.ReadAsync(2);
        Assert.Equal(["g1", "g2"], groups.Select(g => g.GroupId));
        Assert.Equal(2u, (await server.AcknowledgeAsync([.. groups])).Acknowledged);
    }

    [Fact]
    public async Task A_frozen_subscriber_loses_its_leases_at_the_deadline_and_takes_no_more()
    {
        // One held group fills the cap: while the frozen subscriber holds it, producers are pushed back.
        await using var server = await VotingTestServer.StartAsync(new VotingOptions { MaxReadyGroups = 1 });
        await server.SubmitAsync(Group("g1", "1"));
        using var frozen = new Subscriber(server.Client, "default", maxUnacknowledged: 1, ackDeadline: TimeSpan.FromSeconds(1));
        Assert.Equal("g1", (await frozen.ReadAsync(1))[0].GroupId);
        Assert.Equal(StatusCode.ResourceExhausted, (await server.SubmitAsync(Group("g2", "2"))).Status.StatusCode);

        // The frozen stream stays open and never acknowledges; at its deadline the group goes to a live subscriber.
        using var learner = new Subscriber(server.Client, "learner", maxUnacknowledged: 1);
        var taken = await learner.ReadAsync(1);
        Assert.Equal("g1", taken[0].GroupId);
        Assert.True((await server.StatusAsync()).LeasesExpired >= 1);
        Assert.Equal(1u, (await server.AcknowledgeAsync(taken[0])).Acknowledged);

        // The cap is free again, and the next group goes to the live subscriber, not to the frozen one (its window is
        // still full with the expired lease it never acknowledged).
        Assert.Equal(StatusCode.OK, (await server.SubmitAsync(Group("g2", "2"))).Status.StatusCode);
        Assert.Equal("g2", (await learner.ReadAsync(1))[0].GroupId);
        var status = await server.StatusAsync();
        Assert.Equal(1u, status.GroupsUnacknowledged);
        Assert.Equal(2u, status.Subscribers);
    }

    [Fact]
    public async Task Subscribers_beyond_the_cap_are_resource_exhausted()
    {
        await using var server = await VotingTestServer.StartAsync(new VotingOptions { MaxSubscribers = 1 });
        using var first = new Subscriber(server.Client, "a");
        await server.WaitForStatusAsync(s => s.Subscribers == 1);
        using var second = new Subscriber(server.Client, "b");
        var status = await second.DrainAsync();
        Assert.Equal(StatusCode.ResourceExhausted, status.StatusCode);
        Assert.Contains("MaxSubscribers", status.Detail);
    }
}
