using Grpc.Core;
using MmUpt.Testing;
using static MmUpt.Voting.Tests.Samples;

namespace MmUpt.Voting.Tests;

/// <summary>Issue 11, finding 2: a group confirmed to its producer is not lost when the service stops or restarts.</summary>
public sealed class DurabilityTests
{
    [Fact]
    public async Task Confirmed_groups_are_offered_again_after_a_restart_until_acknowledged()
    {
        using var data = new TempDir();
        var options = new VotingOptions { DataFolder = data.Path };
        await using (var first = await VotingTestServer.StartAsync(options))
        {
            var (reply, status) = await first.SubmitAsync([.. Group("a", "1", "1"), .. Group("b", "2", "3"), .. Group("c", "4", "4")]);
            Assert.Equal(StatusCode.OK, status.StatusCode);
            Assert.Equal(3ul, reply!.CompletedGroups);
            using var subscriber = new Subscriber(first.Client, "learner");
            var delivered = await subscriber.ReadAsync(3);
            Assert.Equal(1u, (await first.AcknowledgeAsync(delivered[0])).Acknowledged);
            // b and c were delivered but never acknowledged: the learner may not have them.
        }

        await using var second = await VotingTestServer.StartAsync(options);
        var recovered = await second.StatusAsync();
        Assert.Equal(2ul, recovered.GroupsRecovered);
        Assert.Equal(2u, recovered.GroupsReady);
        using var learner = new Subscriber(second.Client, "learner");
        var again = await learner.ReadAsync(2);
        Assert.Equal(["b", "c"], again.Select(g => g.GroupId));
        Assert.Equal([1f, 0f], Rewards(again[0]));
        // A retry of a scored group (the producer did not hear back) is refused by name, also after the restart.
        var (_, retry) = await second.SubmitAsync(Boxed("a", 0, 2, "1", attempt: 1));
        Assert.Equal(StatusCode.AlreadyExists, retry.StatusCode);
        Assert.Contains("group a was already scored from attempt 0", retry.Detail);
        Assert.Equal(2u, (await second.AcknowledgeAsync([.. again])).Acknowledged);
        await second.StopAsync();

        await using var third = await VotingTestServer.StartAsync(options);
        Assert.Equal(0u, (await third.StatusAsync()).GroupsReady);
    }

    [Fact]
    public async Task A_torn_record_at_the_end_of_the_log_is_dropped_and_the_records_before_it_are_kept()
    {
        using var data = new TempDir();
        var options = new VotingOptions { DataFolder = data.Path };
        await using (var first = await VotingTestServer.StartAsync(options))
        {
            await first.SubmitAsync([.. Group("a", "1"), .. Group("b", "2")]);
        }
        var log = Path.Combine(data.Path, VotingJournal.FileName);
        var length = new FileInfo(log).Length;
        // A crash in the middle of an append leaves a partial record: a length that promises more bytes than follow.
        await using (var file = new FileStream(log, FileMode.Append))
        {
            file.Write([200, 0, 0, 0, 1, 2, 3, 4, 5, 6]);
        }
        await using var second = await VotingTestServer.StartAsync(options);
        Assert.Equal(2ul, (await second.StatusAsync()).GroupsRecovered);
        Assert.Equal(length, new FileInfo(log).Length);
        Assert.Equal(StatusCode.OK, (await second.SubmitAsync(Group("c", "3"))).Status.StatusCode);
    }

    [Fact]
    public async Task Compaction_drops_acknowledged_groups_and_keeps_the_rest_and_the_scored_ids()
    {
        using var data = new TempDir();
        var options = new VotingOptions { DataFolder = data.Path, LogCompactBytes = 1 << 16 };
        var log = Path.Combine(data.Path, VotingJournal.FileName);
        long peak = 0;
        await using (var first = await VotingTestServer.StartAsync(options))
        {
            using var learner = new Subscriber(first.Client, "learner", maxUnacknowledged: 1000);
            for (var i = 0; i < 300; i++)
            {
                await first.SubmitAsync(Group($"g{i}", "1", "2", "1"));
                var g = (await learner.ReadAsync(1))[0];
                if (i < 299)
                {
                    await first.AcknowledgeAsync(g);
                }
                peak = Math.Max(peak, new FileInfo(log).Length);
            }
        }
        Assert.True(new FileInfo(log).Length < peak, $"log {new FileInfo(log).Length} bytes, peak {peak}: never compacted");
        await using var second = await VotingTestServer.StartAsync(options);
        using var again = new Subscriber(second.Client, "learner");
        Assert.Equal("g299", (await again.ReadAsync(1))[0].GroupId);
        Assert.Equal(StatusCode.AlreadyExists, (await second.SubmitAsync(Boxed("g5", 0, 3, "1", attempt: 1))).Status.StatusCode);
    }

    [Fact]
    public async Task Two_services_cannot_share_a_data_folder()
    {
        using var data = new TempDir();
        var options = new VotingOptions { DataFolder = data.Path };
        await using var first = await VotingTestServer.StartAsync(options);
        var ex = await Assert.ThrowsAsync<MmUpt.Core.Options.OptionsException>(() => VotingTestServer.StartAsync(options));
        Assert.Equal("Voting:DataFolder", ex.Key);
    }
}
