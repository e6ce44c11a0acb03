using Grpc.Core;
using MmUpt.Contracts.V1;
using static MmUpt.Voting.Tests.Samples;

namespace MmUpt.Voting.Tests;

public sealed class CapacityTests
{
    [Fact]
    public async Task Opening_a_group_beyond_the_pending_cap_is_resource_exhausted_until_one_completes()
    {
        await using var server = await VotingTestServer.StartAsync(new VotingOptions { MaxPendingGroups = 2 });
        Assert.Equal(StatusCode.OK, (await server.SubmitAsync(Boxed("a", 0, 2, "1"), Boxed("b", 0, 2, "1"))).Status.StatusCode);
        var (_, refused) = await server.SubmitAsync(Boxed("c", 0, 2, "1"));
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Contains("MaxPendingGroups", refused.Detail);
        // Samples of open groups are still welcome, and completing one frees a slot.
        Assert.Equal(StatusCode.OK, (await server.SubmitAsync(Boxed("a", 1, 2, "1"))).Status.StatusCode);
        Assert.Equal(StatusCode.OK, (await server.SubmitAsync(Boxed("c", 0, 2, "1"))).Status.StatusCode);
        var status = await server.StatusAsync();
        Assert.Equal(2u, status.GroupsPending);
        Assert.Equal(0ul, status.SamplesRejected);
    }

    [Fact]
    public async Task Unconsumed_scored_groups_push_back_on_new_groups()
    {
        await using var server = await VotingTestServer.StartAsync(new VotingOptions { MaxReadyGroups = 1 });
        await server.SubmitAsync(Group("a", "1"));
        var (_, refused) = await server.SubmitAsync(Group("b", "1"));
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Contains("MaxReadyGroups", refused.Detail);

        using var subscriber = new Subscriber(server.Client, "learner");
        Assert.Equal("a", (await subscriber.ReadAsync(1))[0].GroupId);
        await server.Client.AcknowledgeAsync(new AcknowledgeRequest { Consumer = "learner", Groups = { new GroupKey { GroupId = "a" } } });
        Assert.Equal(StatusCode.OK, (await server.SubmitAsync(Group("b", "1"))).Status.StatusCode);
        Assert.Equal("b", (await subscriber.ReadAsync(1))[0].GroupId);
    }
}
