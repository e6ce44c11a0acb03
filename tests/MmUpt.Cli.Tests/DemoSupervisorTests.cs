using Grpc.Health.V1;
using Grpc.Net.Client;
using MmUpt.Cli.Demo;
using MmUpt.Contracts.V1;
using MmUpt.Testing;
using static MmUpt.Cli.Tests.DemoProcesses;

namespace MmUpt.Cli.Tests;

/// <summary>
/// The demo's process supervisor with real <c>mmupt vote</c> / <c>mmupt rollout</c> children: addresses from their
/// listening lines, logs per child, one-line failures naming the child and its stderr, and no child left behind after a
/// stop, a failure, a cancellation or a child that ignores SIGTERM.
/// </summary>
public sealed class DemoSupervisorTests(ExportedModel model) : IClassFixture<ExportedModel>
{
    [Fact]
    public async Task Servers_listen_serve_log_and_are_gone_after_the_supervisor_stops()
    {
        using var dir = new TempDir();
        int[] pids;
        await using (var supervisor = new ProcessSupervisor(MmuptCli, dir.Path))
        {
            var (vote, votingUrl) = await supervisor.StartServerAsync("voting", ["vote", "--port", "0", "--mode", "random"], CancellationToken.None);
            var (rollout, rolloutUrl) = await supervisor.StartServerAsync("rollout-1",
                ["rollout", "--port", "0", "--model", model.Model, "--voting", votingUrl.ToString()], CancellationToken.None);
            using (var channel = GrpcChannel.ForAddress(votingUrl))
            {
                Assert.Equal(VoteMode.Random, (await new VotingService.VotingServiceClient(channel).GetStatusAsync(new GetVotingStatusRequest())).Mode);
            }
            using (var channel = GrpcChannel.ForAddress(rolloutUrl))
            {
                var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
                Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
            }
            pids = [vote.Id, rollout.Id];
            Assert.All(pids, p => Assert.True(Alive(p)));
        }
        Assert.All(pids, p => Assert.False(Alive(p), $"pid {p} survived the supervisor"));
        var log = File.ReadAllText(Path.Combine(dir.Path, "voting.log"));
        Assert.Contains("mmupt vote listening on", log);
        Assert.Contains("stopping: SIGTERM", log);
        Assert.Contains("exited with code 0", log);   // a graceful stop, not a kill
        Assert.Contains("mmupt rollout listening on", File.ReadAllText(Path.Combine(dir.Path, "rollout-1.log")));
    }

    [Fact]
    public async Task A_server_that_fails_to_start_is_named_with_its_error_and_the_others_are_stopped()
    {
        using var dir = new TempDir();
        int votePid;
        await using (var supervisor = new ProcessSupervisor(MmuptCli, dir.Path))
        {
            var (vote, votingUrl) = await supervisor.StartServerAsync("voting", ["vote", "--port", "0"], CancellationToken.None);
            votePid = vote.Id;
            var ex = await Assert.ThrowsAsync<DemoException>(() => supervisor.StartServerAsync("rollout-2",
                ["rollout", "--port", "0", "--model", dir.File("missing"), "--voting", votingUrl.ToString()], CancellationToken.None));
            Assert.StartsWith("rollout-2 exited with code 2 before it listened: error: --model", ex.Message);
            Assert.Contains("folder not found", ex.Message);
            Assert.Contains(Path.Combine(dir.Path, "rollout-2.log"), ex.Message);
        }
        Assert.False(Alive(votePid));
    }

    [Fact]
    public async Task A_silent_child_times_out_by_name_and_is_stopped()
    {
        using var dir = new TempDir();
        int pid;
        await using (var supervisor = new ProcessSupervisor(new MmuptCommand("/bin/sleep", []), dir.Path) { ListenTimeout = TimeSpan.FromSeconds(2) })
        {
            var ex = await Assert.ThrowsAsync<DemoException>(() => supervisor.StartServerAsync("sleeper", ["600"], CancellationToken.None));
            Assert.StartsWith("sleeper did not print its address within 2 s", ex.Message);
            pid = supervisor.Children.Single().Id;
            Assert.True(Alive(pid));
        }
        Assert.False(Alive(pid));
    }

    [Fact]
    public async Task A_child_that_ignores_SIGTERM_is_killed_with_its_children_after_the_grace_period()
    {
        using var dir = new TempDir();
        var script = "trap '' TERM; sleep 600 & echo \"mmupt fake listening on http://127.0.0.1:1\"; wait";
        int pid;
        await using (var supervisor = new ProcessSupervisor(new MmuptCommand("/bin/bash", []), dir.Path) { Grace = TimeSpan.FromSeconds(1) })
        {
            var (child, address) = await supervisor.StartServerAsync("stubborn", ["-c", script], CancellationToken.None);
            Assert.Equal(new Uri("http://127.0.0.1:1"), address);
            pid = child.Id;
            Assert.Contains(Mentioning("sleep 600"), p => p.Pid != pid);
            await supervisor.StopAsync([child]);
        }
        Assert.False(Alive(pid));
        Assert.Contains("killing the process tree", File.ReadAllText(Path.Combine(dir.Path, "stubborn.log")));
    }

    [Fact]
    public async Task A_failing_stage_names_itself_and_its_error_line()
    {
        using var dir = new TempDir();
        await using var supervisor = new ProcessSupervisor(MmuptCli, dir.Path);
        var ex = await Assert.ThrowsAsync<DemoException>(() =>
            supervisor.RunAsync("init", ["init", "--preset", "huge", "--out", dir.File("hf")], null, CancellationToken.None));
        Assert.StartsWith("init failed with exit code 2: ", ex.Message);
        Assert.Contains("huge", ex.Message);
        Assert.Empty(supervisor.Children);
    }

    [Fact]
    public async Task A_cancelled_stage_is_stopped_before_the_cancellation_returns()
    {
        using var dir = new TempDir();
        await using var supervisor = new ProcessSupervisor(new MmuptCommand("/bin/sleep", []), dir.Path);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => supervisor.RunAsync("sleeper", ["600"], null, cancelled.Token));
        var child = supervisor.Children.Single();
        Assert.True(child.HasExited);
        Assert.False(Alive(child.Id));
    }
}
