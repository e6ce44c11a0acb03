using Grpc.Core;
using MmUpt.Contracts.V1;
using static MmUpt.Voting.Tests.Samples;

namespace MmUpt.Voting.Tests;

public sealed class ScoreTests
{
    [Fact]
    public async Task Faithful_score_rewards_equivalents_of_the_string_majority()
    {
        await using var server = await VotingTestServer.StartAsync();
        var reply = await server.Client.ScoreAsync(new ScoreRequest { Samples = { Group("g", "2", "2", "2.0", "4") } });
        var g = reply.Group;
        Assert.Equal(VoteMode.Faithful, g.Mode);
        Assert.Equal("2", g.Metrics.MajorityKey);
        Assert.Equal("2", g.Metrics.MajorityAnswer);
        Assert.Equal([1f, 1f, 1f, 0f], Rewards(g));
        Assert.Equal(0.5, g.Metrics.MajorityRatio, 12);
        Assert.Equal(["2", "2", "2.0", "4"], g.Samples.Select(s => s.ExtractedAnswer));
        Assert.False(g.Metrics.HasMajorityCorrect);
    }

    [Fact]
    public async Task Robust_score_clusters_spellings_and_reports_accuracy_against_the_reference()
    {
        await using var server = await VotingTestServer.StartAsync(new VotingOptions { Mode = "robust" });
        var samples = new[] { "3", "3", "3", @"\frac12", "0.5", "1/2", "0.50" }
            .Select((a, i) => Boxed("r", (uint)i, 7, a, reference: "0.5")).ToList();
        samples.Reverse();
        var g = (await server.Client.ScoreAsync(new ScoreRequest { Samples = { samples } })).Group;
        Assert.Equal(VoteMode.Robust, g.Mode);
        // Four spellings of one half: the class's representative (its key) is its first member in sample order, sample 3.
        Assert.Equal(g.Samples[3].AnswerKey, g.Metrics.MajorityKey);
        Assert.NotEmpty(g.Metrics.MajorityKey);
        Assert.Equal([0f, 0f, 0f, 1f, 1f, 1f, 1f], Rewards(g));
        Assert.Equal([0u, 1u, 2u, 3u, 4u, 5u, 6u], g.Samples.Select(s => s.Sample.Index));
        Assert.True(g.Metrics.MajorityCorrect);
        Assert.Equal(4.0 / 7, g.Metrics.SampleAccuracy, 12);
        Assert.True(g.Samples.All(s => s.Trained));
    }

    [Fact]
    public async Task Robust_score_reads_lettered_options_from_the_prompt()
    {
        await using var server = await VotingTestServer.StartAsync(new VotingOptions { Mode = "robust" });
        var samples = new[] { "B", "8", "(B)", "A" }.Select((a, i) => Boxed("mc", (uint)i, 4, a)).ToList();
        samples[0].Prompt.Text = "How many sides?\nChoices:\nA. 6\nB. 8\nC. 10";
        var g = (await server.Client.ScoreAsync(new ScoreRequest { Samples = { samples } })).Group;
        Assert.Equal([1f, 1f, 1f, 0f], Rewards(g));
        Assert.Equal(0.75, g.Metrics.MajorityRatio, 12);
    }

    [Fact]
    public async Task Score_rejects_an_incomplete_or_mixed_group()
    {
        await using var server = await VotingTestServer.StartAsync();
        var missing = await Assert.ThrowsAsync<RpcException>(() =>
            server.Client.ScoreAsync(new ScoreRequest { Samples = { Boxed("g", 0, 3, "1"), Boxed("g", 1, 3, "1") } }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, missing.StatusCode);
        Assert.Contains("2 given for group_size 3", missing.Status.Detail);
        var mixed = await Assert.ThrowsAsync<RpcException>(() =>
            server.Client.ScoreAsync(new ScoreRequest { Samples = { Boxed("g", 0, 2, "1"), Boxed("h", 1, 2, "1") } }).ResponseAsync);
        Assert.Contains("must match", mixed.Status.Detail);
    }
}
