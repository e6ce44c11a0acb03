using MmUpt.Contracts.V1;
using static MmUpt.Voting.Tests.Samples;

namespace MmUpt.Voting.Tests;

public sealed class SubscribeTests
{
    [Fact]
    public async Task Interleaved_samples_are_grouped_scored_and_delivered_oldest_first()
    {
        await using var server = await VotingTestServer.StartAsync();
        var a = Group("a", "7", "7", "1");
        var b = Group("b", "5", "6", "6");
        var (reply, status) = await server.SubmitAsync(a[0], b[0], b[1], a[1], b[2], a[2]);
        Assert.Equal(Grpc.Core.StatusCode.OK, status.StatusCode);
        Assert.Equal(6ul, reply!.AcceptedSamples);
        Assert.Equal(2ul, reply.CompletedGroups);

        using var subscriber = new Subscriber(server.Client, "learner");
        var groups = await subscriber.ReadAsync(2);
        Assert.Equal(["b", "a"], groups.Select(g => g.GroupId));
        Assert.Equal([0f, 1f, 1f], Rewards(groups[0]));
        Assert.Equal([1f, 1f, 0f], Rewards(groups[1]));

        var ack = await server.Client.AcknowledgeAsync(new AcknowledgeRequest
        {
            Consumer = "learner",
            Groups = { groups.Select(g => new GroupKey { GroupId = g.GroupId, Attempt = g.Attempt }) },
        });
        Assert.Equal(2u, ack.Acknowledged);
        var after = await server.StatusAsync();
        Assert.Equal(2ul, after.GroupsScored);
        Assert.Equal(0u, after.GroupsUnacknowledged);
        Assert.Equal(0u, after.GroupsReady);
        Assert.Equal(VoteMode.Faithful, after.Mode);
        // Majorities "6" and "7", one group each: the tie goes to the ordinally smallest key.
        Assert.Equal("6", after.RecentTopAnswerKey);
        Assert.True(after.SamplesPerSecond > 0);
        Assert.Equal((2.0 / 3 + 2.0 / 3) / 2, after.RecentMajorityRatio, 12);
    }

    [Fact]
    public async Task Unacknowledged_groups_are_redelivered_to_the_next_subscriber_and_acknowledged_ones_never()
    {
        await using var server = await VotingTestServer.StartAsync();
        await server.SubmitAsync([.. Group("g1", "1", "1"), .. Group("g2", "2", "2")]);

        List<ScoredGroup> first;
        using (var dropped = new Subscriber(server.Client, "learner"))
        {
            first = await dropped.ReadAsync(2);
            await server.Client.AcknowledgeAsync(new AcknowledgeRequest { Consumer = "learner", Groups = { new GroupKey { GroupId = "g1" } } });
        }
        Assert.Equal(["g1", "g2"], first.Select(g => g.GroupId));
        await server.WaitForStatusAsync(s => s.GroupsUnacknowledged == 0);

        using var second = new Subscriber(server.Client, "learner");
        var again = await second.ReadAsync(1);
        Assert.Equal("g2", again[0].GroupId);
        Assert.Equal(first[1].Attempt, again[0].Attempt);
        Assert.Equal(Rewards(first[1]), Rewards(again[0]));
        var ack = await server.Client.AcknowledgeAsync(new AcknowledgeRequest
        {
            Consumer = "learner",
            Groups = { new GroupKey { GroupId = "g2" }, new GroupKey { GroupId = "g2" }, new GroupKey { GroupId = "nope" } },
        });
        Assert.Equal(1u, ack.Acknowledged);
        var status = await server.StatusAsync();
        Assert.Equal(0u, status.GroupsReady);
        Assert.Equal(0u, status.GroupsUnacknowledged);
        Assert.Equal(2ul, status.GroupsScored);
    }

    [Fact]
    public async Task A_subscriber_waits_while_max_unacknowledged_groups_are_outstanding()
    {
        await using var server = await VotingTestServer.StartAsync();
        await server.SubmitAsync([.. Group("g1", "1"), .. Group("g2", "2")]);
        using var subscriber = new Subscriber(server.Client, "learner", maxUnacknowledged: 1);
        Assert.Equal("g1", (await subscriber.ReadAsync(1))[0].GroupId);
        var held = await server.StatusAsync();
        Assert.Equal(1u, held.GroupsUnacknowledged);
        Assert.Equal(1u, held.GroupsReady);
        await server.Client.AcknowledgeAsync(new AcknowledgeRequest { Consumer = "learner", Groups = { new GroupKey { GroupId = "g1" } } });
        Assert.Equal("g2", (await subscriber.ReadAsync(1))[0].GroupId);
    }
}
