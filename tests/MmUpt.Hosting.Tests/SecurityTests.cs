using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Grpc.Reflection.V1Alpha;
using Microsoft.AspNetCore.Builder;
using MmUpt.Contracts.V1;
using MmUpt.Core.Options;
using MmUpt.Hosting.Security;
using MmUpt.Testing;

namespace MmUpt.Hosting.Tests;

/// <summary>
/// The bearer token, TLS and mutual TLS of the one host builder, against a real Kestrel on loopback and clients from
/// the one <see cref="ChannelFactory"/>; certificates are made by <see cref="TestPki"/> for each test class run.
/// </summary>
public sealed class SecurityTests : IClassFixture<SecurityTests.Pki>
{
    public sealed class Pki : IDisposable
    {
        public TestPki Files { get; } = new();

        public void Dispose() => Files.Dispose();
    }

    private readonly TestPki _pki;

    public SecurityTests(Pki pki) => _pki = pki.Files;

    /// <summary>A unary RPC behind the interceptor, as every role's GetStatus.</summary>
    private sealed class StatusOnly : LearnerService.LearnerServiceBase
    {
        public override Task<LearnerStatus> GetStatus(GetLearnerStatusRequest request, ServerCallContext context) =>
            Task.FromResult(new LearnerStatus { Process = new ProcessInfo { InstanceId = "secured" } });
    }

    private static async Task<(WebApplication App, string Address)> StartAsync(SecurityOptions security, int metricsPort = 0)
    {
        var app = GrpcServerHost.Build(ProcessRole.Learner, new ServerOptions { Port = 0, MetricsPort = metricsPort }, security, "",
            _ => { }, a => a.MapGrpcService<StatusOnly>());
        var address = await GrpcServerHost.StartAsync(app) ?? throw new InvalidOperationException("the server did not start");
        return (app, address);
    }

    private static Task<LearnerStatus> AskAsync(ChannelFactory factory, string address)
    {
        var channel = factory.Create(address);
        return new LearnerService.LearnerServiceClient(channel).GetStatusAsync(new GetLearnerStatusRequest(),
            deadline: DateTime.UtcNow.AddMinutes(1)).ResponseAsync.ContinueWith(t =>
            {
                channel.Dispose();
                return t;
            }).Unwrap();
    }

    private string TokenFile(string token)
    {
        var path = Path.Combine(_pki.Folder, $"token-{Guid.NewGuid():N}");
        File.WriteAllText(path, token + "\n");
        return path;
    }

    [Fact]
    public async Task With_a_token_calls_without_it_or_with_another_are_UNAUTHENTICATED_and_health_and_metrics_stay_open()
    {
        var metricsPort = MetricsScrape.FreePort();
        var (app, address) = await StartAsync(new SecurityOptions { TokenFile = TokenFile("s3cret-token") }, metricsPort);
        await using var _ = app;

        var missing = await Assert.ThrowsAsync<RpcException>(() => AskAsync(ChannelFactory.Default, address));
        Assert.Equal(StatusCode.Unauthenticated, missing.StatusCode);
        Assert.StartsWith("missing bearer token", missing.Status.Detail);
        var wrong = await Assert.ThrowsAsync<RpcException>(() => AskAsync(new ChannelFactory(new SecurityOptions { Token = "s3cret-tokeN" }), address));
        Assert.Equal(StatusCode.Unauthenticated, wrong.StatusCode);
        Assert.DoesNotContain("s3cret", wrong.Status.Detail);

        var right = new ChannelFactory(new SecurityOptions { TokenFile = TokenFile("s3cret-token") });
        Assert.Equal("secured", (await AskAsync(right, address)).Process.InstanceId);
        // The same as grpcurl -H 'authorization: Bearer ...': a plain header is enough.
        using (var plain = GrpcChannel.ForAddress(address))
        {
            var headers = new Metadata { { "authorization", "Bearer s3cret-token" } };
            await new LearnerService.LearnerServiceClient(plain).GetStatusAsync(new GetLearnerStatusRequest(), headers);

            // Streaming calls are checked too (server reflection: grpcurl's list needs the token as well).
            using var reflection = new ServerReflection.ServerReflectionClient(plain).ServerReflectionInfo();
            // The server may refuse the call before the request is written (the write fails) or after (the read fails).
            var refused = await Assert.ThrowsAsync<RpcException>(async () =>
            {
                await reflection.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
                await reflection.ResponseStream.MoveNext(CancellationToken.None);
            });
            Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);

            // Probes carry no credentials.
            var health = await new Health.HealthClient(plain).CheckAsync(new HealthCheckRequest());
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        }
        Assert.True((await MetricsScrape.GetAsync(metricsPort)).Has("mmupt_process_uptime_seconds"));
        await app.StopAsync();
    }

    [Fact]
    public async Task With_TLS_a_plaintext_client_fails_an_untrusting_one_fails_and_one_with_the_CA_succeeds()
    {
        var (app, address) = await StartAsync(new SecurityOptions { Certificate = _pki.ServerCertFile, Key = _pki.ServerKeyFile });
        await using var _ = app;
        Assert.StartsWith("https://127.0.0.1:", address);

        var plaintext = address.Replace("https://", "http://");
        var refused = await Assert.ThrowsAsync<RpcException>(() => AskAsync(ChannelFactory.Default, plaintext));
        Assert.NotEqual(StatusCode.OK, refused.StatusCode);
        // The system trust store does not know the private CA, nor does another CA vouch for the server.
        await Assert.ThrowsAsync<RpcException>(() => AskAsync(ChannelFactory.Default, address));
        await Assert.ThrowsAsync<RpcException>(() => AskAsync(new ChannelFactory(new SecurityOptions { Ca = _pki.OtherCaFile }), address));

        var trusting = new ChannelFactory(new SecurityOptions { Ca = _pki.CaFile });
        Assert.Equal("secured", (await AskAsync(trusting, address)).Process.InstanceId);
        // The certificate names localhost and 127.0.0.1: dialled by another name it must be told which one to expect.
        var local = address.Replace("127.0.0.1", "localhost");
        Assert.Equal("secured", (await AskAsync(trusting, local)).Process.InstanceId);
        using (var renamed = trusting.Create(address, serverName: "mmupt-rollout"))
        {
            await Assert.ThrowsAsync<RpcException>(() => new LearnerService.LearnerServiceClient(renamed).GetStatusAsync(new GetLearnerStatusRequest()).ResponseAsync);
        }
        using (var named = trusting.Create(address, serverName: "localhost"))
        {
            await new LearnerService.LearnerServiceClient(named).GetStatusAsync(new GetLearnerStatusRequest());
        }
        await app.StopAsync();
    }

    [Fact]
    public async Task With_mutual_TLS_a_client_without_a_certificate_or_with_a_stranger_one_fails_and_one_with_a_CA_signed_certificate_succeeds()
    {
        var token = TokenFile("mtls-token");
        var (app, address) = await StartAsync(new SecurityOptions
        {
            Certificate = _pki.ServerCertFile, Key = _pki.ServerKeyFile, ClientCa = _pki.CaFile, TokenFile = token,
        });
        await using var _ = app;

        var noCertificate = new ChannelFactory(new SecurityOptions { Ca = _pki.CaFile, TokenFile = token });
        await Assert.ThrowsAsync<RpcException>(() => AskAsync(noCertificate, address));
        var stranger = new ChannelFactory(new SecurityOptions
        {
            Ca = _pki.CaFile, TokenFile = token, Certificate = _pki.StrangerCertFile, Key = _pki.StrangerKeyFile,
        });
        await Assert.ThrowsAsync<RpcException>(() => AskAsync(stranger, address));

        var client = new SecurityOptions { Ca = _pki.CaFile, Certificate = _pki.ClientCertFile, Key = _pki.ClientKeyFile };
        // TLS and the token are separate locks: the certificate alone is not enough.
        var withoutToken = await Assert.ThrowsAsync<RpcException>(() => AskAsync(new ChannelFactory(client), address));
        Assert.Equal(StatusCode.Unauthenticated, withoutToken.StatusCode);
        client.TokenFile = token;
        Assert.Equal("secured", (await AskAsync(new ChannelFactory(client), address)).Process.InstanceId);
        await app.StopAsync();
    }

    public static TheoryData<string, string> BadSettings => new()
    {
        { "cert-without-key", "Security:Key" },
        { "client-ca-without-tls", "Security:ClientCa" },
        { "token-twice", "Security:Token" },
        { "missing-ca", "Security:Ca" },
        { "key-is-not-pem", "Security:Certificate" },
        { "empty-token-file", "Security:TokenFile" },
    };

    [Theory, MemberData(nameof(BadSettings))]
    public void Bad_settings_fail_the_build_with_one_error_naming_the_key(string setting, string key)
    {
        var notPem = Path.Combine(_pki.Folder, "not.pem");
        File.WriteAllText(notPem, "hello");
        var empty = TokenFile("");
        var security = setting switch
        {
            "cert-without-key" => new SecurityOptions { Certificate = _pki.ServerCertFile },
            "client-ca-without-tls" => new SecurityOptions { ClientCa = _pki.CaFile },
            "token-twice" => new SecurityOptions { Token = "a", TokenFile = empty },
            "missing-ca" => new SecurityOptions { Ca = Path.Combine(_pki.Folder, "nope.crt") },
            "key-is-not-pem" => new SecurityOptions { Certificate = _pki.ServerCertFile, Key = notPem },
            "empty-token-file" => new SecurityOptions { TokenFile = empty },
            _ => throw new ArgumentOutOfRangeException(nameof(setting)),
        };
        var ex = Assert.Throws<OptionsException>(() =>
            GrpcServerHost.Build(ProcessRole.Voting, new ServerOptions { Port = 0 }, security, "", _ => { }, _ => { }));
        Assert.Equal(key, ex.Key);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void A_dump_of_the_options_shows_that_a_token_is_set_not_the_token()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(new SecurityOptions { Token = "s3cret-token", Ca = "ca.crt" });
        Assert.DoesNotContain("s3cret", json);
        Assert.Contains("\"Token\":\"(redacted)\"", json);
        Assert.Contains("\"Ca\":\"ca.crt\"", json);
    }
}
