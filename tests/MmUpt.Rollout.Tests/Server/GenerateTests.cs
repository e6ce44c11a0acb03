using Grpc.Core;
using MmUpt.Contracts.V1;
using MmUpt.Rollout.Tests.Engine;

namespace MmUpt.Rollout.Tests.Server;

/// <summary>Generate end to end: a real rollout worker streams groups to a real voting service, which scores them.</summary>
public sealed class GenerateTests(ServedModels models, TinyExport tiny) : IClassFixture<ServedModels>, IClassFixture<TinyExport>
{
    [Fact]
    public async Task A_group_of_G_samples_is_delivered_and_scored()
    {
        await using var servers = await Servers.StartAsync(models.Folder);
        var response = await servers.Rollout.GenerateAsync(Requests.Text("g1", g: 4, maxNew: 8));

        Assert.Equal(("g1", 4u, 0ul), (response.GroupId, response.SamplesDelivered, response.WeightsVersion));
        var group = Assert.Single(await servers.ScoredAsync(1));
        Assert.Equal("g1", group.GroupId);
        Assert.Equal([0u, 1u, 2u, 3u], group.Samples.Select(s => s.Sample.Index));
        Assert.Equal(response.GeneratedTokens, (ulong)group.Samples.Sum(s => s.Sample.ResponseTokenIds.Count));
        Assert.All(group.Samples, s =>
        {
            Assert.InRange(s.Sample.ResponseTokenIds.Count, 1, 8);
            Assert.Equal(s.Sample.ResponseTokenIds.Count, s.Sample.BehaviourLogprobs.Count);
            Assert.All(s.Sample.BehaviourLogprobs, lp => Assert.True(lp <= 0 && float.IsFinite(lp)));
            Assert.Equal("rollout-test", s.Sample.ProducerId);
            Assert.Equal(1f, s.Sample.Sampling.TopP);
            Assert.NotEqual(0ul, s.Sample.Sampling.Seed);
            Assert.InRange(s.Reward, 0f, 1f);
        });
    }

    [Fact]
    public async Task An_image_group_carries_the_expanded_prompt()
    {
        await using var servers = await Servers.StartAsync(models.Folder);
        var response = await servers.Rollout.GenerateAsync(Requests.WithImages("img", tiny.Image));
        Assert.Equal(4u, response.SamplesDelivered);
        var group = Assert.Single(await servers.ScoredAsync(1));
        // 140×84 px → 15 merged image tokens in place of the one placeholder.
        Assert.All(group.Samples, s => Assert.Equal(15, s.Sample.PromptTokenIds.Count(t => t == tiny.Config.ImageTokenId)));
    }

    [Fact]
    public async Task A_fixed_seed_reproduces_the_group_and_a_derived_seed_differs_per_attempt()
    {
        await using var servers = await Servers.StartAsync(models.Folder);
        await servers.Rollout.GenerateAsync(Requests.Text("a", seed: 42, maxNew: 12));
        await servers.Rollout.GenerateAsync(Requests.Text("b", seed: 42, maxNew: 12));
        var first = Requests.Text("c", maxNew: 12);
        var retry = Requests.Text("c", maxNew: 12);
        retry.RequestId = "req-c-1";
        retry.Attempt = 1;
        // The voting service scores only the first attempt of a group to complete, so the retry's samples go to a
        // second voting service (as if attempt 0 had been lost there).
        await using var other = await Servers.StartAsync(models.Folder);
        retry.VotingAddress = other.VotingAddress;
        await servers.Rollout.GenerateAsync(first);
        await servers.Rollout.GenerateAsync(retry);
        var groups = (await servers.ScoredAsync(3)).Concat(await other.ScoredAsync(1)).ToDictionary(g => (g.GroupId, g.Attempt), Tokens);
        Assert.Equal(groups[("a", 0)], groups[("b", 0)]);
        Assert.NotEqual(groups[("c", 0)], groups[("c", 1)]);
    }

    [Fact]
    public async Task A_repeated_request_id_is_answered_from_the_first_result()
    {
        await using var servers = await Servers.StartAsync(models.Folder);
        var request = Requests.Text("dup");
        var first = await servers.Rollout.GenerateAsync(request);
        var again = await servers.Rollout.GenerateAsync(request);
        Assert.Equal(first, again);
        var other = Requests.Text("other");
        other.RequestId = request.RequestId;
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await servers.Rollout.GenerateAsync(other));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains("request_id", ex.Status.Detail);
        Assert.Single(await servers.ScoredAsync(1));
    }

    [Fact]
    public async Task An_unreachable_voting_service_is_retried_then_UNAVAILABLE()
    {
        await using var servers = await Servers.StartAsync(models.Folder, o => (o.VotingAttempts, o.VotingRetryDelay) = (3, TimeSpan.FromMilliseconds(10)));
        var request = Requests.Text("lost");
        request.VotingAddress = "http://127.0.0.1:1";
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await servers.Rollout.GenerateAsync(request));
        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Contains("after 3 tries", ex.Status.Detail);
        var status = await servers.WaitForStatusAsync(s => s.InFlightRequests == 0);
        Assert.Contains("lost", status.LastError);
        // The worker still serves.
        Assert.Equal(4u, (await servers.Rollout.GenerateAsync(Requests.Text("after"))).SamplesDelivered);
    }

    private static string Tokens(ScoredGroup g) => string.Join('|', g.Samples.Select(s => string.Join(',', s.Sample.ResponseTokenIds)));
}
