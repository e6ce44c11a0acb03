using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using MmUpt.Core.Options;
using Prometheus;

namespace MmUpt.Hosting;

/// <summary>
/// <c>GET /metrics</c> (Prometheus text format) on a second Kestrel endpoint, HTTP/1.1 only, at
/// <see cref="ServerOptions.MetricsPort"/>; the gRPC port stays HTTP/2 only and does not serve it. Every app has its own
/// <see cref="CollectorRegistry"/>, so two servers in one process (tests, <c>mmupt demo</c>) never share a series.
/// </summary>
internal static class MetricsEndpoint
{
    public const string Path = "/metrics";

    /// <summary>Adds the HTTP/1.1 listener (Kestrel configures its endpoints when the server starts, after <see cref="Map"/>).</summary>
    public static void Listen(KestrelServerOptions kestrel, IPAddress address, ServerOptions server)
    {
        if (server.MetricsPort != 0) kestrel.Listen(address, server.MetricsPort, l => l.Protocols = HttpProtocols.Http1);
    }

    /// <summary>
    /// Validates the port against the gRPC one, registers the process's own metrics and every <see cref="IRoleMetrics"/>,
    /// and maps the endpoint.
    /// </summary>
    public static void Map(WebApplication app, ServerOptions server)
    {
        if (server.MetricsPort == 0) return;
        if (server.MetricsPort == server.Port)
            throw new OptionsException($"{ServerOptions.Section}:{nameof(ServerOptions.MetricsPort)}",
                $"{server.MetricsPort} is also the gRPC port ({ServerOptions.Section}:{nameof(ServerOptions.Port)}); give the metrics their own port");
        var registry = Metrics.NewCustomRegistry();
        DotNetStats.Register(registry);
        var factory = Metrics.WithCustomRegistry(registry);
        var process = app.Services.GetRequiredService<ProcessInfoProvider>();
        var refreshers = new List<Action> { ProcessMetrics(factory, process) };
        refreshers.AddRange(app.Services.GetServices<IRoleMetrics>().Select(m => m.Register(factory)));
        registry.AddBeforeCollectCallback(() => refreshers.ForEach(refresh => refresh()));
        app.MapMetrics(Path, registry).RequireHost($"*:{server.MetricsPort}");
    }

    private static Action ProcessMetrics(IMetricFactory factory, ProcessInfoProvider process)
    {
        var info = factory.CreateGauge("mmupt_process_info", "Always 1; the labels say which process this is.",
            ["role", "instance_id", "version", "accelerator", "device"]);
        var uptime = factory.CreateGauge("mmupt_process_uptime_seconds", "Seconds since the process started serving.");
        return () =>
        {
            var p = process.Snapshot();
            // The instance id changes once, when a port-0 server learns its port: keep one series.
            foreach (var labels in info.GetAllLabelValues()) info.RemoveLabelled(labels);
            info.WithLabels(GrpcServerHost.RoleName(p.Role), p.InstanceId, p.Version, p.Accelerator, p.Device).Set(1);
            uptime.Set(p.Uptime.ToTimeSpan().TotalSeconds);
        };
    }
}
