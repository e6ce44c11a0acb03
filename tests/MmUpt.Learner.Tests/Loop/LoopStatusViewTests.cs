using Google.Protobuf;
using MmUpt.Contracts.V1;
using MmUpt.Learner.Loop;
using MmUpt.Testing;
using MmUpt.Training.Collect;
using MmUpt.Training.Dispatch;
using MmUpt.Training.Loop;
using Polly.CircuitBreaker;

namespace MmUpt.Learner.Tests.Loop;

/// <summary>The step loop's status and a real replica set as GetStatus reports them.</summary>
public sealed class LoopStatusViewTests
{
    private static readonly ReplicaOptions Options = new() { BreakerMinimumThroughput = 2, BreakerBreakDuration = TimeSpan.FromMinutes(5) };

    /// <summary>Replicas in every state: a ready (one call in flight), b behind, c new, d never reached, e failed after serving.</summary>
    internal static async Task<ReplicaSet> ReplicasAsync()
    {
        var set = new ReplicaSet(Options, _ => true);
        var joined = set.SetMembers(["http://e:1", "http://d:1", "http://c:1", "http://b:1", "http://a:1"]).ToDictionary(r => r.Address[7..8]);
        set.MarkSynced(joined["a"], 2);
        set.MarkSynced(joined["b"], 1);
        set.MarkSynced(joined["e"], 2);
        foreach (var r in new[] { joined["d"], joined["e"] })
        {
            for (var i = 0; i < 2; i++)
            {
                var failure = new IOException("connection refused");
                await Assert.ThrowsAsync<IOException>(async () => await r.Pipeline.ExecuteAsync(_ => throw failure));
                set.MarkFailed(r, failure);
            }
            Assert.Equal(CircuitState.Open, r.Circuit);
        }
        Assert.Equal("http://a:1", set.TryAcquire(2, [])!.Replica.Address);   // held: one call in flight on a
        return set;
    }

    /// <summary>Step 3 of 10 done (v2), step 4 rolling out: 5 of 8 groups, 600 tokens in the 10 s since the rollout began.</summary>
    internal static LoopStatus Status(ManualClock clock)
    {
        var status = new LoopStatus(clock);
        status.Enter(LearnerPhase.Rollout, "0-upt", 0, 10);
        var votes = VoteSummary.Of([new GroupVote("7", 0.75, 0.5, false, 0.75, 12), new GroupVote("7", 1, 0, true, 1, 10),
            new GroupVote("3", 0.5, 0.7, false, 0.5, 14), new GroupVote("", 0.25, 1.4, false, 0.25, 16)]);
        var metrics = new Dictionary<string, double> { ["kl_loss"] = 0.0123, ["entropy"] = 1.5, ["tokens_per_second"] = 250, ["reward_mean"] = 0.6 };
        status.Completed(3, 2, metrics, "ok (last good v2)", TimeSpan.FromSeconds(90));
        status.Recorded(new StepRecord("0-upt", 3, 2, votes, metrics,
            new StepTimings(TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.Zero, TimeSpan.FromSeconds(7)),
            1, 0, 0, "ok (last good v2)"));
        status.Enter(LearnerPhase.Rollout, "0-upt", 3, 10);
        status.Progress(5, 8);
        clock.Advance(TimeSpan.FromSeconds(10));
        status.Generated(400);
        status.Generated(200);
        return status;
    }

    [Fact]
    public async Task Maps_the_step_in_progress_the_last_step_and_every_replica_state()
    {
        var clock = new ManualClock();
        var proto = LoopStatusView.ToProto(Status(clock), (await ReplicasAsync()).Snapshot());

        Assert.Equal((LearnerPhase.Rollout, "0-upt", 3ul, 10ul, 2ul), (proto.Phase, proto.Stage, proto.Step, proto.TotalSteps, proto.WeightsVersion));
        Assert.Equal((5u, 8u), (proto.GroupsDone, proto.GroupsWanted));
        Assert.Equal(TimeSpan.FromSeconds(90), proto.Eta.ToTimeSpan());
        Assert.Equal("ok (last good v2)", proto.Guard);
        Assert.Equal(60, proto.RolloutTokensPerSecond, 9);
        Assert.Equal(250, proto.TokensPerSecond);
        Assert.StartsWith("[0-upt] step 3 v2 groups 4 reward 0.625 majority 0.625 unanimous 0.25 top-answer 0.50 kl 0.0123", proto.LastStepLine);
        // The learner's metrics, plus the vote's; the learner's reward_mean wins over the vote's (0.625).
        Assert.Equal(0.6, proto.LastStepMetrics["reward_mean"]);
        Assert.Equal(0.625, proto.LastStepMetrics["majority_ratio"], 12);
        Assert.Equal(0.5, proto.LastStepMetrics["top_answer_share"]);
        Assert.Equal(0.25, proto.LastStepMetrics["unanimous_fraction"]);
        Assert.Equal(13, proto.LastStepMetrics["response_length_mean"]);

        Assert.Equal(["http://a:1", "http://b:1", "http://c:1", "http://d:1", "http://e:1"], proto.Replicas.Select(r => r.Address));
        Assert.Equal([ReplicaState.Ready, ReplicaState.Syncing, ReplicaState.Syncing, ReplicaState.Down, ReplicaState.OpenCircuit],
            proto.Replicas.Select(r => r.State));
        Assert.Equal([1u, 0u, 0u, 0u, 0u], proto.Replicas.Select(r => r.InFlightGroups));
        Assert.Equal([2ul, 1ul, 0ul, 0ul, 2ul], proto.Replicas.Select(r => r.WeightsVersion));
        Assert.Equal([true, true, false, false, true], proto.Replicas.Select(r => r.Synced));
        Assert.Equal([0ul, 0ul, 0ul, 2ul, 2ul], proto.Replicas.Select(r => r.Failures));

        // As grpcurl prints it.
        var json = JsonFormatter.Default.Format(proto);
        Assert.Contains("\"eta\": \"90s\"", json);
        Assert.Contains("\"state\": \"REPLICA_STATE_OPEN_CIRCUIT\"", json);
        Assert.Contains("\"groupsWanted\": 8", json);
    }

    [Fact]
    public void Rollout_tokens_per_second_covers_the_last_30_seconds_and_nothing_is_set_before_the_first_step()
    {
        var clock = new ManualClock();
        var status = new LoopStatus(clock);
        var empty = LoopStatusView.ToProto(status, []);
        Assert.Null(empty.Eta);
        Assert.Equal(("", "", 0d), (empty.LastStepLine, empty.Stage, empty.RolloutTokensPerSecond));
        Assert.Empty(empty.LastStepMetrics);

        status.Enter(LearnerPhase.Rollout, "0-upt", 0, 2);
        clock.Advance(TimeSpan.FromSeconds(20));
        status.Generated(300);
        Assert.Equal(15, status.RolloutTokensPerSecond, 9);    // 300 tokens in the 20 s since the rollout began
        clock.Advance(TimeSpan.FromSeconds(20));
        status.Generated(150);
        Assert.Equal(15, status.RolloutTokensPerSecond, 9);    // 450 tokens over the window's 30 s
        clock.Advance(TimeSpan.FromSeconds(25));
        Assert.Equal(5, status.RolloutTokensPerSecond, 9);     // the first group left the window
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(0, status.RolloutTokensPerSecond);
    }

    [Fact]
    public void A_triggered_guard_and_a_stopped_stage_read_back_as_they_were_set()
    {
        var status = new LoopStatus();
        status.Enter(LearnerPhase.Train, "1-upt", 4, 9);
        status.SetGuard("stopped at step 5: top-answer share 0.45 > 0.30; rolling back to v3 (step 3) and stopping the stage");
        status.Enter(LearnerPhase.Done);
        var proto = LoopStatusView.ToProto(status, []);
        Assert.Equal((LearnerPhase.Done, "1-upt", 9ul), (proto.Phase, proto.Stage, proto.TotalSteps));
        Assert.StartsWith("stopped at step 5", proto.Guard);
        Assert.Equal("triggered", LearnerMetrics.GuardState(proto.Guard));
        Assert.Equal("ok", LearnerMetrics.GuardState("ok (last good v3)"));
        Assert.Equal("off", LearnerMetrics.GuardState(""));
    }
}
