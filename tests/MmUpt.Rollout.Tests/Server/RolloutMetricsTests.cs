using MmUpt.Testing;

namespace MmUpt.Rollout.Tests.Server;

/// <summary>mmupt_rollout_* scraped from a real worker after real Generate and SyncWeights calls.</summary>
public sealed class RolloutMetricsTests(ServedModels models) : IClassFixture<ServedModels>
{
    [Fact]
    public async Task Generate_and_sync_move_the_counters_by_what_the_replies_report()
    {
        await using var servers = await Servers.StartAsync(models.Folder, metrics: true);
        var port = servers.MetricsPorts.Rollout;
        var before = await MetricsScrape.GetAsync(port);
        Assert.Equal(0, before["mmupt_rollout_groups_completed_total"]);
        Assert.Equal(0, before["mmupt_rollout_active_weights_version"]);

        var first = await servers.Rollout.GenerateAsync(Requests.Text("m1", g: 4, maxNew: 8));
        var generated = await MetricsScrape.GetAsync(port);
        Assert.Equal(1, generated["mmupt_rollout_groups_completed_total"]);
        Assert.Equal(4, generated["mmupt_rollout_samples_completed_total"]);
        Assert.Equal(first.GeneratedTokens, (ulong)generated["mmupt_rollout_generated_tokens_total"]);
        Assert.True(generated["mmupt_rollout_prompt_tokens_total"] > 0);
        Assert.True(generated["mmupt_rollout_decode_seconds_total"] > 0);
        Assert.Equal(0, generated["mmupt_rollout_in_flight_groups"]);
        Assert.Equal(0, generated["mmupt_rollout_queue_depth_groups"]);
        Assert.Equal(0, generated["mmupt_rollout_weights_syncs_total"]);
        Assert.Equal(0, generated["mmupt_rollout_last_sync_timestamp_seconds"]);
        // The voting service behind it counted the same group.
        var voting = await MetricsScrape.GetAsync(servers.MetricsPorts.Voting);
        Assert.Equal(1, voting["mmupt_voting_groups_scored_total"]);
        Assert.Equal(4, voting["mmupt_voting_samples_accepted_total"]);

        var sync = await servers.Rollout.SyncWeightsAsync(models.Publish(7, models.OtherFolder));
        Assert.Equal(7ul, sync.ActiveVersion);
        var second = await servers.Rollout.GenerateAsync(Requests.Text("m2", g: 2, maxNew: 8));
        Assert.Equal(7ul, second.WeightsVersion);
        var synced = await MetricsScrape.GetAsync(port);
        Assert.Equal(1, synced["mmupt_rollout_weights_syncs_total"]);
        Assert.True(synced["mmupt_rollout_weights_sync_seconds_total"] > 0);
        Assert.True(synced["mmupt_rollout_last_sync_timestamp_seconds"] > DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds());
        Assert.Equal(7, synced["mmupt_rollout_active_weights_version"]);
        Assert.Equal(2, synced["mmupt_rollout_groups_completed_total"]);
        Assert.Equal(6, synced["mmupt_rollout_samples_completed_total"]);
        Assert.Equal(first.GeneratedTokens + second.GeneratedTokens, (ulong)synced["mmupt_rollout_generated_tokens_total"]);
        Assert.Equal(0, synced["mmupt_rollout_errors_total"]);
    }
}
