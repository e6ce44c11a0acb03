using Google.Protobuf.Reflection;
using Grpc.Net.Client;
using Grpc.Reflection.V1Alpha;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MmUpt.Contracts.V1;
using MmUpt.Hosting;
using MmUpt.Learner.Loop;
using MmUpt.Testing;

namespace MmUpt.Learner.Tests.Loop;

/// <summary>GetStatus's new fields over server reflection, and mmupt_learner_* scraped from real servers.</summary>
public sealed class LearnerMetricsTests
{
    private static async Task<(WebApplication App, int Metrics, GrpcChannel Channel)> StartAsync(Func<ServerOptions, WebApplication> build)
    {
        var server = new ServerOptions { Port = 0, MetricsPort = MetricsScrape.FreePort() };
        var app = build(server);
        await app.StartAsync();
        return (app, server.MetricsPort, GrpcChannel.ForAddress($"http://127.0.0.1:{GrpcServerHost.GrpcPort(app)}"));
    }

    [Fact]
    public async Task Reflection_describes_the_step_loop_fields_and_an_idle_learner_scrapes_as_idle()
    {
        var (app, metrics, channel) = await StartAsync(s => LearnerServer.Build(s, new LearnerOptions()));
        await using var _ = app;
        using var __ = channel;
        using var call = new ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "mmupt.v1.LearnerStatus" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var files = call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto.Select(b => FileDescriptorProto.Parser.ParseFrom(b)).ToList();
        var learner = files.Single(f => f.Name == "mmupt/v1/learner.proto");
        var fields = learner.MessageType.Single(m => m.Name == "LearnerStatus").Field.ToDictionary(f => f.Name, f => f.TypeName);
        foreach (var name in new[] { "stage", "groups_done", "groups_wanted", "guard", "last_step_line", "rollout_tokens_per_second", "total_steps" })
            Assert.True(fields.ContainsKey(name), name);
        Assert.Equal(".google.protobuf.Duration", fields["eta"]);
        Assert.Equal(".mmupt.v1.ReplicaStatus", fields["replicas"]);
        Assert.Equal(["address", "state", "weights_version", "synced", "in_flight_groups", "failures"],
            learner.MessageType.Single(m => m.Name == "ReplicaStatus").Field.Select(f => f.Name));
        Assert.Equal(["REPLICA_STATE_UNSPECIFIED", "REPLICA_STATE_READY", "REPLICA_STATE_SYNCING", "REPLICA_STATE_OPEN_CIRCUIT", "REPLICA_STATE_DOWN"],
            learner.EnumType.Single(e => e.Name == "ReplicaState").Value.Select(v => v.Name));

        var scrape = await MetricsScrape.GetAsync(metrics);
        Assert.Equal(1, scrape["mmupt_learner_phase{phase=\"idle\"}"]);
        Assert.Equal(0, scrape["mmupt_learner_phase{phase=\"train\"}"]);
        Assert.Equal(1, scrape["mmupt_learner_guard{state=\"off\"}"]);
        Assert.Equal(0, scrape["mmupt_learner_step"]);
        Assert.True(double.IsNaN(scrape["mmupt_learner_last_reward_mean"]));
        await app.StopAsync();
    }

    [Fact]
    public async Task The_step_loop_status_scrapes_with_its_replicas_and_a_replica_that_left_loses_its_series()
    {
        var clock = new ManualClock();
        var status = LoopStatusViewTests.Status(clock);
        var replicas = await LoopStatusViewTests.ReplicasAsync();
        var (app, metrics, channel) = await StartAsync(s => GrpcServerHost.Build(ProcessRole.Learner, s, "cpu",
            services => services.AddSingleton<IRoleMetrics>(new LearnerMetrics(() => LoopStatusView.ToProto(status, replicas.Snapshot()))),
            _ => { }));
        await using var _ = app;
        using var __ = channel;

        var scrape = await MetricsScrape.GetAsync(metrics);
        Assert.Equal(3, scrape["mmupt_learner_step"]);
        Assert.Equal(10, scrape["mmupt_learner_total_steps"]);
        Assert.Equal(2, scrape["mmupt_learner_weights_version"]);
        Assert.Equal(1, scrape["mmupt_learner_phase{phase=\"rollout\"}"]);
        Assert.Equal((5, 8), (scrape["mmupt_learner_groups_done"], scrape["mmupt_learner_groups_wanted"]));
        Assert.Equal(90, scrape["mmupt_learner_eta_seconds"]);
        Assert.Equal(60, scrape["mmupt_learner_rollout_tokens_per_second"], 9);
        Assert.Equal(1, scrape["mmupt_learner_guard{state=\"ok\"}"]);
        Assert.Equal(0.6, scrape["mmupt_learner_last_reward_mean"]);
        Assert.Equal(0.625, scrape["mmupt_learner_last_majority_ratio"], 12);
        Assert.Equal(0.5, scrape["mmupt_learner_last_top_answer_share"]);
        Assert.Equal(0.0123, scrape["mmupt_learner_last_kl"]);
        Assert.Equal(1.5, scrape["mmupt_learner_last_entropy"]);
        Assert.Equal([1, 2, 1, 1], new[] { "ready", "syncing", "open_circuit", "down" }.Select(s => scrape[$"mmupt_learner_replicas{{state=\"{s}\"}}"]));
        Assert.Equal(1, scrape["mmupt_learner_replica_in_flight_groups{address=\"http://a:1\"}"]);
        Assert.Equal(2, scrape["mmupt_learner_replica_failures_total{address=\"http://e:1\"}"]);

        replicas.SetMembers(["http://a:1", "http://b:1", "http://c:1", "http://d:1"]);
        status.SetGuard("TRIGGERED (top-answer share 0.45 > 0.30)");
        var after = await MetricsScrape.GetAsync(metrics);
        Assert.False(after.Has("mmupt_learner_replica_in_flight_groups{address=\"http://e:1\"}"));
        Assert.False(after.Has("mmupt_learner_replica_failures_total{address=\"http://e:1\"}"));
        Assert.Equal(0, after["mmupt_learner_replicas{state=\"open_circuit\"}"]);
        Assert.Equal(1, after["mmupt_learner_guard{state=\"triggered\"}"]);
        Assert.Equal(0, after["mmupt_learner_guard{state=\"ok\"}"]);
        await app.StopAsync();
    }
}
