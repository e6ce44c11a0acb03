using Grpc.Core;
using MmUpt.Contracts.V1;
using MmUpt.Hosting;
using static MmUpt.Voting.Tests.Samples;

namespace MmUpt.Voting.Tests;

/// <summary>Issue 11, finding 3: shutdown ends open streams at once with UNAVAILABLE.</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task Stopping_ends_an_idle_submit_and_an_open_subscribe_with_unavailable()
    {
        // A shutdown timeout far beyond the test's guard: stopping must not wait for the idle streams.
        var server = await VotingTestServer.StartAsync(server: new ServerOptions { Port = 0, ShutdownTimeout = TimeSpan.FromMinutes(30) });
        await using var _ = server;
        using var submit = server.Client.Submit();
        await submit.RequestStream.WriteAsync(new SubmitRequest { Sample = Boxed("open", 0, 2, "1") });
        using var subscriber = new Subscriber(server.Client, "learner");
        await server.WaitForStatusAsync(s => s.GroupsPending == 1 && s.Subscribers == 1);

        await server.StopAsync().WaitAsync(TimeSpan.FromMinutes(2));

        var submitted = await Assert.ThrowsAsync<RpcException>(() => submit.ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, submitted.StatusCode);
        Assert.Contains("shutting down", submitted.Status.Detail);
        var subscribed = await subscriber.DrainAsync();
        Assert.Equal(StatusCode.Unavailable, subscribed.StatusCode);
    }
}
