using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using Grpc.Net.Client;
using MmUpt.Contracts.V1;

namespace MmUpt.Cli.Tests;

/// <summary>
/// The step loop across real processes: a voting service, two rollout replicas and <c>mmupt train</c>, on loopback,
/// with real engines. A replica SIGKILLed in the middle of a step costs time, not data; a learner stopped with SIGTERM
/// and restarted with <c>--resume</c> continues from its checkpoint and re-syncs the replicas.
/// </summary>
public sealed class TrainLoopTests(LoopModel model) : IClassFixture<LoopModel>
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(8);

    private sealed class Cluster : IAsyncDisposable
    {
        public required Mmupt Vote { get; init; }
        public required Uri VoteAddress { get; init; }
        public required List<(Mmupt Process, Uri Address)> Replicas { get; init; }

        public async ValueTask DisposeAsync()
        {
            foreach (var (p, _) in Replicas) await p.DisposeAsync();
            await Vote.DisposeAsync();
        }
    }

    private async Task<Cluster> StartClusterAsync()
    {
        var (vote, voteAddress) = await Mmupt.StartServerAsync("vote", "--port", "0");
        var replicas = new List<(Mmupt, Uri)>();
        for (var i = 0; i < 2; i++)
            replicas.Add(await Mmupt.StartServerAsync("rollout", "--port", "0", "--model", model.Model, "--voting", voteAddress.ToString().TrimEnd('/')));
        return new Cluster { Vote = vote, VoteAddress = voteAddress, Replicas = replicas };
    }

    // steps.jsonl lines and run.json as the run wrote them (StepRecord, RunSummary).
    private sealed record Step(long Number, int Groups, int ExtraAttempts);

    private sealed record Summary(string Status, long Steps, long GroupsTrained, ulong FinalVersion);

    private static List<Step> StepsOf(string run) =>
    [
        .. File.ReadAllLines(Path.Combine(run, "steps.jsonl")).Select(l => JsonNode.Parse(l)!)
            .Select(n => new Step((long)n["Step"]!, (int)n["Votes"]!["Groups"]!, (int)n["ExtraAttempts"]!)),
    ];

    private static Summary SummaryOf(string run)
    {
        var n = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "run.json")))!;
        return new Summary((string)n["Status"]!, (long)n["Steps"]!, (long)n["GroupsTrained"]!, (ulong)n["FinalVersion"]!);
    }

    /// <summary>
    /// Async mode over real processes: rollouts of step k + 1 overlap learning of step k, the replicas load each new
    /// version in the background, and still every step trains B whole groups, none twice, and at the end every replica
    /// serves the run's final version.
    /// </summary>
    [Fact]
    public async Task An_async_run_trains_every_group_once_and_leaves_the_replicas_on_its_final_version()
    {
        await using var cluster = await StartClusterAsync();
        var run = Path.Combine(model.Root, "async-" + Guid.NewGuid().ToString("N")[..8]);
        var recipe = model.Recipe(run, cluster.VoteAddress.ToString(), cluster.Replicas.Select(r => r.Address), steps: 4);
        var (code, stdout, stderr) = await Mmupt.RunAsync("train", "--config", recipe, "--mode", "async", "--port", "0");
        Assert.True(code == 0, $"train exited {code}: {stderr}\n{stdout}");

        var steps = StepsOf(run);
        Assert.Equal([1L, 2, 3, 4], steps.Select(s => s.Number));
        Assert.All(steps, s => Assert.Equal(4, s.Groups));
        var summary = SummaryOf(run);
        Assert.True(summary.Status == "completed", File.ReadAllText(Path.Combine(run, "run.json")));
        Assert.Equal(16, summary.GroupsTrained);
        foreach (var (_, address) in cluster.Replicas)
        {
            using var channel = GrpcChannel.ForAddress(address);
            var status = await new RolloutService.RolloutServiceClient(channel).GetStatusAsync(new GetRolloutStatusRequest());
            Assert.Equal(summary.FinalVersion, status.ActiveWeightsVersion);
        }
    }

    [Fact]
    public async Task A_replica_killed_in_the_middle_of_a_step_costs_time_not_data()
    {
        await using var cluster = await StartClusterAsync();
        var run = Path.Combine(model.Root, "kill-" + Guid.NewGuid().ToString("N")[..8]);
        // Long enough responses that a group is still generating when the victim is polled (the engine got fast), and five
        // steps, so that steps 2-5 leave a wide window to find the victim busy in.
        var recipe = model.Recipe(run, cluster.VoteAddress.ToString(), cluster.Replicas.Select(r => r.Address), steps: 5, maxNewTokens: 96);
        var (victim, victimAddress) = cluster.Replicas[0];
        using var channel = GrpcChannel.ForAddress(victimAddress);
        var client = new RolloutService.RolloutServiceClient(channel);
        await client.GetStatusAsync(new GetRolloutStatusRequest());   // connected and warm before the window opens
        var (train, _) = await Mmupt.StartServerAsync("train", "--config", recipe, "--port", "0");
        await using var _ = train;

        // Step 1 done: wait until the victim is generating a group of a later step, then SIGKILL it.
        await train.WaitForOutputAsync("[0-upt] step 1 ", Long);
        var deadline = DateTime.UtcNow + Long;
        while ((await client.GetStatusAsync(new GetRolloutStatusRequest())).InFlightRequests == 0)
        {
            Assert.False(train.HasExited, $"the run ended before the victim was seen generating after step 1:\n{train.Stdout}");
            Assert.True(DateTime.UtcNow < deadline, $"the replica never received a group after step 1:\n{train.Stdout}");
            await Task.Delay(5);
        }
        Assert.Equal(137, await victim.StopAsync(Mmupt.SigKill));

        Assert.Equal(0, await train.WaitForExitAsync(Long));
        var steps = StepsOf(run);
        Assert.Equal([1L, 2L, 3L, 4L, 5L], steps.Select(s => s.Number));
        Assert.All(steps, s => Assert.Equal(4, s.Groups));            // B groups every step, each whole
        var summary = SummaryOf(run);
        Assert.Equal("completed", summary.Status);
        Assert.Equal(20, summary.GroupsTrained);
        Assert.True(steps.Sum(s => s.ExtraAttempts) >= 1, $"no step shows a retry: {train.Stdout}");
        Assert.Contains($"on {victimAddress.ToString().TrimEnd('/')} failed", train.Stdout); // the log names the failed attempts
    }

    [Fact]
    public async Task A_learner_restarted_with_resume_continues_from_its_checkpoint_and_resyncs_the_replicas()
    {
        await using var cluster = await StartClusterAsync();
        var run = Path.Combine(model.Root, "resume-" + Guid.NewGuid().ToString("N")[..8]);
        var recipe = model.Recipe(run, cluster.VoteAddress.ToString(), cluster.Replicas.Select(r => r.Address), steps: 4);

        var (first, _) = await Mmupt.StartServerAsync("train", "--config", recipe, "--port", "0");
        await using (first)
        {
            await first.WaitForOutputAsync("[0-upt] step 2 ", Long);
            Assert.Equal(0, await first.StopAsync(Mmupt.SigTerm));
        }
        var stopped = SummaryOf(run);
        Assert.Equal("cancelled", stopped.Status);
        var before = StepsOf(run);
        Assert.Equal(before.Select((_, i) => i + 1L), before.Select(s => s.Number));
        Assert.True(Directory.Exists(Path.Combine(run, "checkpoints", $"step-{stopped.Steps:D8}")));

        var (again, _) = await Mmupt.StartServerAsync("train", "--config", recipe, "--port", "0", "--resume");
        await using (again)
        {
            Assert.Equal(0, await again.WaitForExitAsync(Long));
            Assert.Contains($"Resumed from {Path.Combine(run, "checkpoints", $"step-{stopped.Steps:D8}")}", again.Stdout);
            // The resumed run publishes the restored weights as a new version and syncs both replicas to it: above the
            // checkpoint's version, and above a version the stopped run may have published after its last checkpoint.
            var resynced = Regex.Match(again.Stdout, @"synced to v(\d+)");
            Assert.True(resynced.Success, $"no replica sync in the resumed run: {again.Stdout}");
            Assert.True(ulong.Parse(resynced.Groups[1].Value) > (ulong)stopped.FinalVersion,
                $"the resumed run synced v{resynced.Groups[1].Value}, not above the checkpoint's v{stopped.FinalVersion}");
        }
        var steps = StepsOf(run);
        Assert.Equal([1L, 2L, 3L, 4L], steps.Select(s => s.Number)); // no step lost, none done twice
        Assert.All(steps, s => Assert.Equal(4, s.Groups));
        Assert.Equal("completed", SummaryOf(run).Status);
        Assert.True(File.Exists(Path.Combine(run, "final", "model.safetensors")));
    }
}
