using System.ComponentModel.DataAnnotations;

namespace MmUpt.Hosting;

/// <summary>Where and how a gRPC process listens. Section <c>Server</c>; flags <c>--host</c>, <c>--port</c>, <c>--metrics-port</c>, <c>--id</c>.</summary>
public sealed class ServerOptions
{
    public const string Section = "Server";

    /// <summary>Address to bind; default <c>127.0.0.1</c> (loopback only). Use <c>0.0.0.0</c> to serve other machines.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free port (printed at start). Defaults: rollout 50051, vote 50052, learn 50053.</summary>
    [Range(0, 65535)]
    public int Port { get; set; }

    /// <summary>
    /// TCP port of the Prometheus endpoint <c>GET /metrics</c> (HTTP/1.1, on <see cref="Host"/>); default 0: none. Must
    /// differ from <see cref="Port"/>, which stays HTTP/2 only.
    /// </summary>
    [Range(0, 65535)]
    public int MetricsPort { get; set; }

    /// <summary>Instance id reported in status and attached to samples; default <c>{role}@{host}:{port}</c>.</summary>
    public string? Id { get; set; }

    /// <summary>Largest gRPC message accepted or sent, in MiB; default 64.</summary>
    [Range(1, 2047)]
    public int MaxMessageSizeMiB { get; set; } = 64;

    /// <summary>
    /// Read stdin to its end and then stop as on SIGTERM; default false. <c>mmupt demo</c> and <c>mmupt bench loop</c> set
    /// it (<c>MMUPT_Server__StopWhenStdinCloses=true</c>) for the servers they start, holding their stdin pipe, so that
    /// they stop even when the supervisor is killed with SIGKILL (<see cref="SupervisorWatch"/>).
    /// </summary>
    public bool StopWhenStdinCloses { get; set; }

    /// <summary>How long in-flight calls may finish after SIGINT/SIGTERM; default 10 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
