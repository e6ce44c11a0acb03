using Grpc.Core;
using MmUpt.Contracts.V1;
using MmUpt.Hosting;
using MmUpt.Testing;
using static MmUpt.Voting.Tests.Samples;

namespace MmUpt.Voting.Tests;

/// <summary>mmupt_voting_* scraped from a real voting server after real submissions, deliveries and acknowledgements.</summary>
public sealed class VotingMetricsTests
{
    [Fact]
    public async Task Counters_and_gauges_move_by_what_was_submitted_delivered_and_acknowledged()
    {
        using var data = new TempDir();
        var port = MetricsScrape.FreePort();
        await using var server = await VotingTestServer.StartAsync(new VotingOptions { DataFolder = data.Path },
            new ServerOptions { Port = 0, MetricsPort = port });
        var before = await MetricsScrape.GetAsync(port);
        Assert.Equal(0, before["mmupt_voting_groups_scored_total"]);
        Assert.Equal(0, before["mmupt_voting_samples_rejected_total{reason=\"invalid\"}"]);

        // One group of three: scored, then one invalid sample and one for the already scored group.
        Assert.Equal(StatusCode.OK, (await server.SubmitAsync(Group("a", "7", "7", "1"))).Status.StatusCode);
        var invalid = Boxed("b", 0, 2, "3");
        invalid.GroupSize = 0;
        Assert.Equal(StatusCode.InvalidArgument, (await server.SubmitAsync(invalid)).Status.StatusCode);
        Assert.Equal(StatusCode.AlreadyExists, (await server.SubmitAsync(Boxed("a", 0, 3, "7", attempt: 1))).Status.StatusCode);
        // Half a group: pending.
        Assert.Equal(StatusCode.OK, (await server.SubmitAsync(Boxed("c", 0, 2, "5"))).Status.StatusCode);
        var scored = await MetricsScrape.GetAsync(port);
        Assert.Equal(1, scored["mmupt_voting_groups_scored_total"]);
        Assert.Equal(4, scored["mmupt_voting_samples_accepted_total"]);
        Assert.Equal(1, scored["mmupt_voting_samples_rejected_total{reason=\"invalid\"}"]);
        Assert.Equal(1, scored["mmupt_voting_samples_rejected_total{reason=\"already_scored\"}"]);
        Assert.Equal(0, scored["mmupt_voting_samples_rejected_total{reason=\"malformed\"}"]);
        Assert.Equal(1, scored["mmupt_voting_groups_ready"]);
        Assert.Equal(1, scored["mmupt_voting_groups_pending"]);
        Assert.Equal(2.0 / 3, scored["mmupt_voting_recent_majority_ratio"], 12);
        Assert.Equal(1, scored["mmupt_voting_recent_top_answer_share"]);
        Assert.True(scored["mmupt_voting_journal_bytes"] > before["mmupt_voting_journal_bytes"]);
        Assert.True(scored["mmupt_voting_held_bytes"] > 0);

        using var subscriber = new Subscriber(server.Client, "learner");
        var group = Assert.Single(await subscriber.ReadAsync(1));
        var leased = await MetricsScrape.GetAsync(port);
        Assert.Equal(1, leased["mmupt_voting_groups_delivered_total"]);
        Assert.Equal(1, leased["mmupt_voting_groups_leased"]);
        Assert.Equal(0, leased["mmupt_voting_groups_ready"]);
        Assert.Equal(1, leased["mmupt_voting_subscribers"]);

        Assert.Equal(1u, (await server.AcknowledgeAsync(group)).Acknowledged);
        var acknowledged = await MetricsScrape.GetAsync(port);
        Assert.Equal(1, acknowledged["mmupt_voting_groups_acknowledged_total"]);
        Assert.Equal(0, acknowledged["mmupt_voting_groups_leased"]);
        Assert.Equal(0, acknowledged["mmupt_voting_held_bytes"]);
        // The acknowledgement is a record in the durable log too.
        Assert.True(acknowledged["mmupt_voting_journal_bytes"] > scored["mmupt_voting_journal_bytes"]);
        // The scrape agrees with GetStatus.
        var status = await server.StatusAsync();
        Assert.Equal(status.GroupsScored, (ulong)acknowledged["mmupt_voting_groups_scored_total"]);
        Assert.Equal(status.SamplesRejected, (ulong)(acknowledged["mmupt_voting_samples_rejected_total{reason=\"invalid\"}"]
            + acknowledged["mmupt_voting_samples_rejected_total{reason=\"already_scored\"}"]));
    }
}
