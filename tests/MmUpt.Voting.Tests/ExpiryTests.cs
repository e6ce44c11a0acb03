using Grpc.Core;
using static MmUpt.Voting.Tests.Samples;

namespace MmUpt.Voting.Tests;

public sealed class ExpiryTests
{
    [Fact]
    public async Task Incomplete_group_expires_is_counted_and_never_scored()
    {
        await using var server = await VotingTestServer.StartAsync(new VotingOptions { GroupTimeout = TimeSpan.FromSeconds(1) });
        await server.SubmitAsync(Boxed("slow", 0, 3, "1"), Boxed("slow", 1, 3, "1"));
        Assert.Equal(1u, (await server.StatusAsync()).GroupsPending);

        var status = await server.WaitForStatusAsync(s => s.GroupsExpired == 1);
        Assert.Equal(1ul, status.GroupsExpired);
        Assert.Equal(0u, status.GroupsPending);
        Assert.Equal(0ul, status.GroupsScored);
        Assert.Equal(0u, status.GroupsReady);

        // The missing sample arrives too late: refused, and the group is still not scored.
        var (_, late) = await server.SubmitAsync(Boxed("slow", 2, 3, "1"));
        Assert.Equal(StatusCode.InvalidArgument, late.StatusCode);
        Assert.Contains("expired", late.Detail);
        // A retry as a new attempt is a new group.
        var (reply, ok) = await server.SubmitAsync([.. new[] { "1", "1", "2" }.Select((a, i) => Boxed("slow", (uint)i, 3, a, attempt: 1))]);
        Assert.Equal(StatusCode.OK, ok.StatusCode);
        Assert.Equal(1ul, reply!.CompletedGroups);
        Assert.Equal(1ul, (await server.StatusAsync()).GroupsScored);
    }
}
