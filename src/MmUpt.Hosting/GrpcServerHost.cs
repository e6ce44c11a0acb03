using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MmUpt.Contracts.V1;
using MmUpt.Core.Options;
using MmUpt.Hosting.Security;

namespace MmUpt.Hosting;

/// <summary>
/// Builds and runs one gRPC process: Kestrel on HTTP/2 (plaintext, or TLS and mutual TLS per <see cref="SecurityOptions"/>),
/// a bearer token on every RPC when one is configured, <c>grpc.health.v1</c> (open without the token, for probes), server
/// reflection, message size limits, and a graceful stop on SIGINT/SIGTERM. The app's services hold the
/// <see cref="ChannelFactory"/> with the same credentials, for the calls the role makes to other processes.
/// </summary>
public static class GrpcServerHost
{
    /// <summary>
    /// The one builder of every role: the shared defaults, then the role's services (<paramref name="addServices"/>) and
    /// gRPC endpoints (<paramref name="mapServices"/>), then health and reflection. <paramref name="device"/> is empty for
    /// roles without an engine.
    /// </summary>
    public static WebApplication Build(ProcessRole role, ServerOptions server, string device,
        Action<IServiceCollection> addServices, Action<WebApplication> mapServices) =>
        Build(role, server, new SecurityOptions(), device, addServices, mapServices);

    /// <summary>As above with credentials: TLS, mutual TLS and the bearer token of <paramref name="security"/>.</summary>
    public static WebApplication Build(ProcessRole role, ServerOptions server, SecurityOptions security, string device,
        Action<IServiceCollection> addServices, Action<WebApplication> mapServices)
    {
        var builder = CreateBuilder(role, server, security, device);
        addServices(builder.Services);
        var app = builder.Build();
        mapServices(app);
        MetricsEndpoint.Map(app, server);
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        return app;
    }

    private static WebApplicationBuilder CreateBuilder(ProcessRole role, ServerOptions server, SecurityOptions security, string device)
    {
        OptionsBinder.Validate(security, SecurityOptions.Section);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("Grpc", LogLevel.Warning);
        // A failed start (a port in use) is logged by the host with the whole exception, ~9 KB of stack traces; RunAsync
        // prints one line for it instead. The gate closes once the server listens, so later host errors are logged.
        var startup = new StartupLogGate();
        // (A rule naming the category: the more specific rule wins over the "Microsoft" one above.)
        builder.Logging.AddFilter(StartupLogGate.HostCategory, level => !startup.Starting && level >= LogLevel.Warning);
        builder.Services.AddSingleton(startup);

        var address = Resolve(server.Host);
        // Loaded now: a missing or malformed file fails the build with one line naming its key.
        var tls = TlsEndpoint.From(security);
        var token = BearerToken.From(security);
        // The slim builder leaves Kestrel's HTTPS services out.
        if (tls is not null) builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(address, server.Port, l =>
            {
                l.Protocols = HttpProtocols.Http2;
                tls?.Apply(l);
            });
            MetricsEndpoint.Listen(k, address, server);
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = server.ShutdownTimeout);

        var maxBytes = server.MaxMessageSizeMiB * 1024 * 1024;
        builder.Services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = maxBytes;
            o.MaxSendMessageSize = maxBytes;
            if (token is not null) o.Interceptors.Add<TokenInterceptor>(token);
        });
        builder.Services.AddGrpcReflection();
        builder.Services.AddGrpcHealthChecks().AddCheck("process", () => HealthCheckResult.Healthy());
        builder.Services.AddHostedService<SupervisorWatch>();

        var roleName = RoleName(role);
        builder.Services.AddSingleton(new ProcessInfoProvider(role, server.Id ?? $"{roleName}@{server.Host}:{server.Port}", device));
        builder.Services.AddSingleton(server);
        builder.Services.AddSingleton(security);
        builder.Services.AddSingleton(new ChannelFactory(security));
        return builder;
    }

    /// <summary>
    /// Starts the app, prints <c>mmupt {role} listening on http(s)://HOST:PORT</c> (the bound port when 0 was asked for),
    /// and waits for SIGINT/SIGTERM. Returns the process exit code: 0 after a clean stop, 1 when the port cannot be bound.
    /// </summary>
    public static async Task<int> RunAsync(WebApplication app, CancellationToken cancellationToken = default)
    {
        if (await StartAsync(app, cancellationToken) is null) return 1;
        var info = app.Services.GetRequiredService<ProcessInfoProvider>();
        await app.WaitForShutdownAsync(cancellationToken);
        Console.WriteLine($"mmupt {RoleName(info.Role)} stopped");
        return 0;
    }

    /// <summary>
    /// Starts the app and prints <c>mmupt {role} listening on http(s)://HOST:PORT</c>; returns that address, or null (after
    /// one line on stderr) when the port cannot be bound. For processes whose main work is not serving (<c>mmupt train</c>).
    /// </summary>
    public static async Task<string?> StartAsync(WebApplication app, CancellationToken cancellationToken = default)
    {
        var info = app.Services.GetRequiredService<ProcessInfoProvider>();
        var server = app.Services.GetRequiredService<ServerOptions>();
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            await Console.Error.WriteLineAsync($"error: cannot listen on {server.Host}:{server.Port}: {ex.Message}");
            return null;
        }
        app.Services.GetRequiredService<StartupLogGate>().Starting = false;
        var port = GrpcPort(app);
        if (server.Id is null)
        {
            info.InstanceId = $"{RoleName(info.Role)}@{server.Host}:{port}";
        }
        var scheme = app.Services.GetRequiredService<SecurityOptions>().Tls ? "https" : "http";
        var address = $"{scheme}://{server.Host}:{port}";
        Console.WriteLine($"mmupt {RoleName(info.Role)} listening on {address}");
        if (server.MetricsPort != 0)
        {
            Console.WriteLine($"mmupt {RoleName(info.Role)} metrics on http://{server.Host}:{server.MetricsPort}{MetricsEndpoint.Path}");
        }
        return address;
    }

    /// <summary>The bound gRPC port of a started app (the one asked for, or the one picked for port 0).</summary>
    public static int GrpcPort(WebApplication app)
    {
        var server = app.Services.GetRequiredService<ServerOptions>();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return addresses.Select(a => new Uri(a).Port).First(p => p != server.MetricsPort || server.MetricsPort == 0);
    }

    public static string RoleName(ProcessRole role) => role switch
    {
        ProcessRole.Rollout => "rollout",
        ProcessRole.Voting => "vote",
        ProcessRole.Learner => "learn",
        _ => "process",
    };

    private static IPAddress Resolve(string host)
    {
        if (IPAddress.TryParse(host, out var ip))
        {
            return ip;
        }
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }
        IPAddress[] addresses;
        try
        {
            addresses = Dns.GetHostAddresses(host);
        }
        catch (SocketException ex)
        {
            throw new OptionsException("Server:Host", $"cannot resolve host '{host}': {ex.Message}");
        }
        return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
               ?? throw new OptionsException("Server:Host", $"host '{host}' has no IPv4 address");
    }
}
