using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Grpc.Reflection.V1Alpha;
using MmUpt.Contracts.V1;

namespace MmUpt.Cli.Tests;

/// <summary>Each server subcommand starts, answers health, reflection and GetStatus, and stops cleanly on a signal.</summary>
public sealed class ServerProcessTests
{
    public static TheoryData<string, string, int> Servers => new()
    {
        { "rollout", "mmupt.v1.RolloutService", Mmupt.SigInt },
        { "vote", "mmupt.v1.VotingService", Mmupt.SigTerm },
        { "learn", "mmupt.v1.LearnerService", Mmupt.SigInt },
    };

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task Server_answers_health_reflection_and_status_then_stops_on_signal(string command, string service, int signal)
    {
        var (process, address) = await Mmupt.StartServerAsync(command, "--port", "0", "--id", $"{command}-test");
        await using var _ = process;
        Assert.Equal("127.0.0.1", address.Host);
        using var channel = GrpcChannel.ForAddress(address);

        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);

        var services = await ListServicesAsync(channel);
        Assert.Contains(service, services);
        Assert.Contains("grpc.health.v1.Health", services);
        Assert.Contains("grpc.reflection.v1alpha.ServerReflection", services);

        var info = command switch
        {
            "rollout" => (await new RolloutService.RolloutServiceClient(channel).GetStatusAsync(new GetRolloutStatusRequest())).Process,
            "vote" => (await new VotingService.VotingServiceClient(channel).GetStatusAsync(new GetVotingStatusRequest())).Process,
            _ => (await new LearnerService.LearnerServiceClient(channel).GetStatusAsync(new GetLearnerStatusRequest())).Process,
        };
        Assert.Equal($"{command}-test", info.InstanceId);
        Assert.Equal(command switch { "rollout" => ProcessRole.Rollout, "vote" => ProcessRole.Voting, _ => ProcessRole.Learner }, info.Role);
        Assert.Matches(@"^\d+\.\d+\.\d+", info.Version);
        Assert.Equal("cpu", info.Accelerator);
        Assert.True(info.Uptime.ToTimeSpan() > TimeSpan.Zero);

        Assert.Equal(0, await process.StopAsync(signal));
        Assert.Contains($"mmupt {command} stopped", process.Stdout);
    }

    [Fact]
    public async Task Generate_without_a_model_answers_FAILED_PRECONDITION_not_a_crash()
    {
        var (process, address) = await Mmupt.StartServerAsync("rollout", "--port", "0");
        await using var _ = process;
        using var channel = GrpcChannel.ForAddress(address);
        var client = new RolloutService.RolloutServiceClient(channel);
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await client.GenerateAsync(new GenerateRequest()));
        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Contains("--model", ex.Status.Detail);
        Assert.NotNull(await client.GetStatusAsync(new GetRolloutStatusRequest()));
    }

    [Fact]
    public async Task A_taken_port_is_a_clear_runtime_error()
    {
        var (first, address) = await Mmupt.StartServerAsync("vote", "--port", "0");
        await using var _ = first;
        var (code, _, stderr) = await Mmupt.RunAsync("vote", "--port", address.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1, code);
        Assert.Contains($"cannot listen on 127.0.0.1:{address.Port}", stderr);
    }

    private static async Task<List<string>> ListServicesAsync(GrpcChannel channel)
    {
        using var call = new ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        return call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
    }
}
