using Grpc.Core;
using MmUpt.Contracts.V1;
using static MmUpt.Voting.Tests.Samples;

namespace MmUpt.Voting.Tests;

/// <summary>Issue 11, finding 4: what the service holds is bounded in bytes, and consumer names leave no state.</summary>
public sealed class MemoryLimitTests
{
    [Fact]
    public async Task Incomplete_groups_are_capped_in_bytes()
    {
        await using var server = await VotingTestServer.StartAsync(new VotingOptions { MaxPendingBytes = 1 << 20 });
        var big = new string('x', 300_000);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(StatusCode.OK, (await server.SubmitAsync(Text($"g{i}", 0, 2, big))).Status.StatusCode);
        }
        var (_, refused) = await server.SubmitAsync(Text("g3", 0, 2, big));
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Contains("MaxPendingBytes", refused.Detail);
        var status = await server.StatusAsync();
        Assert.Equal(3u, status.GroupsPending);
        Assert.InRange(status.PendingBytes, 900_000ul, 1ul << 20);
        Assert.Equal(0ul, status.SamplesRejected);
    }

    [Fact]
    public async Task Scored_groups_held_are_capped_in_bytes()
    {
        await using var server = await VotingTestServer.StartAsync(new VotingOptions { MaxHeldBytes = 1 << 20 });
        var big = new string('x', 400_000) + @"\boxed{1}";
        Assert.Equal(StatusCode.OK, (await server.SubmitAsync(Text("a", 0, 1, big), Text("b", 0, 1, big), Text("c", 0, 1, big))).Status.StatusCode);
        var (_, refused) = await server.SubmitAsync(Text("d", 0, 1, big));
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Contains("MaxHeldBytes", refused.Detail);
    }

    [Fact]
    public async Task A_hundred_thousand_consumer_names_leave_no_state_behind()
    {
        await using var server = await VotingTestServer.StartAsync();
        await server.SubmitAsync(Group("warm", "1"));
        var before = Live();
        // Acknowledging under a new name each time (unknown keys) is the cheapest way to show a name to the service.
        await Parallel.ForEachAsync(Enumerable.Range(0, 100_000), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            await server.Client.AcknowledgeAsync(new AcknowledgeRequest
            {
                Consumer = $"consumer-{i:D6}-{new string('n', 64)}",
                Groups = { new GroupKey { GroupId = $"nope-{i}" } },
            }, cancellationToken: ct));
        var after = Live();
        // Before the fix every name kept its own state (the issue measured +110 MB for 100k names); the bound leaves
        // room for pooled buffers.
        Assert.True(after - before < 16 << 20, $"live heap grew by {(after - before) >> 20} MiB over 100k consumer names");
        Assert.Equal(StatusCode.OK, (await server.SubmitAsync(Group("after", "1"))).Status.StatusCode);
    }

    private static long Live()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
