using System.Net;
using System.Net.Sockets;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Grpc.Reflection.V1Alpha;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using MmUpt.Contracts.V1;

namespace MmUpt.Hosting.Tests;

/// <summary>The one host builder: the role's services and endpoints plug in; health, reflection and the stop path are shared.</summary>
public sealed class GrpcServerHostTests
{
    private sealed class RoleMarker;

    [Fact]
    public async Task Builds_a_role_with_its_services_health_and_reflection_then_stops_with_exit_code_0()
    {
        var mapped = false;
        var app = GrpcServerHost.Build(ProcessRole.Rollout, new ServerOptions { Port = 0 }, "cpu",
            services => services.AddSingleton<RoleMarker>(), _ => mapped = true);
        using var stop = new CancellationTokenSource();
        var run = GrpcServerHost.RunAsync(app, stop.Token);
        var address = await BoundAddressAsync(app);

        Assert.True(mapped);
        Assert.NotNull(app.Services.GetService<RoleMarker>());
        var info = app.Services.GetRequiredService<ProcessInfoProvider>();
        Assert.Equal(ProcessRole.Rollout, info.Role);
        Assert.Equal($"rollout@127.0.0.1:{address.Port}", info.InstanceId);

        using var channel = GrpcChannel.ForAddress(address);
        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        using var reflection = new ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo();
        await reflection.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        Assert.True(await reflection.ResponseStream.MoveNext(CancellationToken.None));
        var services = reflection.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("grpc.health.v1.Health", services);
        await reflection.RequestStream.CompleteAsync();

        await stop.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_port_in_use_is_exit_code_1_not_an_exception()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var app = GrpcServerHost.Build(ProcessRole.Voting, new ServerOptions { Port = port }, "", _ => { }, _ => { });

        Assert.Equal(1, await GrpcServerHost.RunAsync(app).WaitAsync(TimeSpan.FromSeconds(30)));
        await app.DisposeAsync();
    }

    [Fact]
    public void An_unresolvable_host_is_an_options_error_naming_Server_Host()
    {
        var ex = Assert.Throws<MmUpt.Core.Options.OptionsException>(() =>
            GrpcServerHost.Build(ProcessRole.Voting, new ServerOptions { Host = "nonexistent.invalid", Port = 0 }, "", _ => { }, _ => { }));
        Assert.Equal("Server:Host", ex.Key);
        Assert.StartsWith("cannot resolve host 'nonexistent.invalid'", ex.Detail);
    }

    private static async Task<Uri> BoundAddressAsync(Microsoft.AspNetCore.Builder.WebApplication app)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
            // RunAsync names the instance after the bound port once it has started: wait for that too.
            if (addresses is { Count: > 0 } && new Uri(addresses.First()).Port is var port and not 0
                && app.Services.GetRequiredService<ProcessInfoProvider>().InstanceId.EndsWith($":{port}"))
            {
                return new Uri(addresses.First());
            }
            await Task.Delay(20);
        }
        throw new TimeoutException("the server did not bind a port");
    }
}
