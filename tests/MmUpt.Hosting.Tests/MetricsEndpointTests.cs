using System.Net;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MmUpt.Contracts.V1;
using MmUpt.Core.Options;
using MmUpt.Testing;
using Prometheus;

namespace MmUpt.Hosting.Tests;

/// <summary>/metrics on its own HTTP/1.1 port, per-app registries, and a gRPC port that stays HTTP/2 only.</summary>
public sealed class MetricsEndpointTests
{
    /// <summary>A role's metrics over a number the test changes, read at scrape time as the real roles read their stats.</summary>
    private sealed class Counted(string name) : IRoleMetrics
    {
        public long Value;

        public Action Register(IMetricFactory metrics)
        {
            var counter = metrics.CreateCounter(name, "test counter");
            return () => counter.IncTo(Interlocked.Read(ref Value));
        }
    }

    private static async Task<(WebApplication App, Task<int> Run, int MetricsPort, Counted Role)> StartAsync(
        ProcessRole role, string metric, CancellationToken stop)
    {
        var counted = new Counted(metric);
        var port = MetricsScrape.FreePort();
        var app = GrpcServerHost.Build(role, new ServerOptions { Port = 0, MetricsPort = port }, "cpu",
            services => services.AddSingleton<IRoleMetrics>(counted), _ => { });
        var run = GrpcServerHost.RunAsync(app, stop);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        // Started once RunAsync has named the instance after the bound gRPC port.
        while (TryPort(app) is var bound && (bound < 0 || !app.Services.GetRequiredService<ProcessInfoProvider>().InstanceId.EndsWith($":{bound}")))
        {
            Assert.True(DateTime.UtcNow < deadline, "the server did not start");
            Assert.False(run.IsCompleted, "the server stopped");
            await Task.Delay(20);
        }
        return (app, run, port, counted);
    }

    private static int TryPort(WebApplication app)
    {
        try
        {
            return GrpcServerHost.GrpcPort(app);
        }
        catch (Exception ex) when (ex is InvalidOperationException or NullReferenceException)
        {
            return -1;
        }
    }

    [Fact]
    public async Task Each_server_scrapes_its_own_registry_over_http1_and_the_grpc_port_does_not_serve_metrics()
    {
        using var stop = new CancellationTokenSource();
        var a = await StartAsync(ProcessRole.Rollout, "mmupt_test_a_total", stop.Token);
        var b = await StartAsync(ProcessRole.Voting, "mmupt_test_b_total", stop.Token);

        Interlocked.Add(ref a.Role.Value, 3);
        var first = await MetricsScrape.GetAsync(a.MetricsPort);
        Assert.Equal(3, first["mmupt_test_a_total"]);
        Assert.False(first.Has("mmupt_test_b_total"));
        var grpcPort = GrpcServerHost.GrpcPort(a.App);
        Assert.Equal(1, first[$"mmupt_process_info{{role=\"rollout\",instance_id=\"rollout@127.0.0.1:{grpcPort}\",version=\"{MmUpt.Core.BuildInfo.Version}\",accelerator=\"{MmUpt.Core.BuildInfo.Accelerator}\",device=\"cpu\"}}"]);
        Assert.True(first.Has("process_cpu_seconds_total"), "the .NET process collectors are registered");

        Interlocked.Add(ref a.Role.Value, 4);
        Interlocked.Add(ref b.Role.Value, 1);
        var second = await MetricsScrape.GetAsync(a.MetricsPort);
        Assert.Equal(7, second["mmupt_test_a_total"]);
        Assert.True(second["mmupt_process_uptime_seconds"] >= first["mmupt_process_uptime_seconds"]);
        var other = await MetricsScrape.GetAsync(b.MetricsPort);
        Assert.Equal(1, other["mmupt_test_b_total"]);
        Assert.False(other.Has("mmupt_test_a_total"));

        // The gRPC port: HTTP/1.1 is refused, and over HTTP/2 /metrics is not an endpoint there.
        await Assert.ThrowsAnyAsync<Exception>(() => MetricsScrape.GetAsync(grpcPort));
        using var h2c = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{grpcPort}/metrics")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var response = await h2c.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        // gRPC still works on its port.
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        var health = await new Grpc.Health.V1.Health.HealthClient(channel).CheckAsync(new Grpc.Health.V1.HealthCheckRequest());
        Assert.Equal(Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, health.Status);

        await stop.CancelAsync();
        Assert.Equal(0, await a.Run.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(0, await b.Run.WaitAsync(TimeSpan.FromSeconds(60)));
        await a.App.DisposeAsync();
        await b.App.DisposeAsync();
    }

    [Fact]
    public void The_metrics_port_may_not_be_the_grpc_port()
    {
        var ex = Assert.Throws<OptionsException>(() =>
            GrpcServerHost.Build(ProcessRole.Voting, new ServerOptions { Port = 50999, MetricsPort = 50999 }, "", _ => { }, _ => { }));
        Assert.Equal("Server:MetricsPort", ex.Key);
        Assert.Contains("also the gRPC port", ex.Detail);
    }

    [Fact]
    public async Task Without_a_metrics_port_only_the_grpc_port_is_bound()
    {
        await using var app = GrpcServerHost.Build(ProcessRole.Voting, new ServerOptions { Port = 0 }, "", _ => { }, _ => { });
        await app.StartAsync();
        Assert.Single(app.Urls);
        await app.StopAsync();
    }
}
