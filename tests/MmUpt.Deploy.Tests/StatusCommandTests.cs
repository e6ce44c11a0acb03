using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace MmUpt.Deploy.Tests;

/// <summary><c>mmupt status</c> against real <c>mmupt</c> servers on loopback, and against things that are not one.</summary>
public sealed class StatusCommandTests
{
    [Theory]
    [InlineData("vote", "PROCESS_ROLE_VOTING", "voting")]
    [InlineData("rollout", "PROCESS_ROLE_ROLLOUT", "rollout")]   // no --model: serves status only
    [InlineData("learn", "PROCESS_ROLE_LEARNER", "learner")]     // no --checkpoint: serves status only
    public async Task Status_names_the_role_of_a_real_server(string subcommand, string role, string shown)
    {
        var id = $"{subcommand}-under-test";
        var (server, address) = await Mmupt.StartServerAsync(subcommand, "--port", "0", "--id", id);
        await using (server)
        {
            // --timeout 30: this checks what the answer says, not how fast a fresh server's first call is on a loaded
            // machine (it took over the default 5 s once, with a build running beside the test run).
            var table = await Mmupt.RunAsync(["status", "--port", address.Port.ToString(), "--timeout", "30"]);
            Assert.True(table.ExitCode == 0, table.ToString());
            Assert.Contains(id, table.Stdout);
            Assert.Contains($"({shown})", table.Stdout);
            Assert.Contains("serving", table.Stdout);

            var json = await Mmupt.RunAsync(["status", "--address", address.ToString(), "--json", "--timeout", "30"]);
            Assert.True(json.ExitCode == 0, json.ToString());
            var process = JsonDocument.Parse(json.Stdout).RootElement.GetProperty("process");
            Assert.Equal(role, process.GetProperty("role").GetString());
            Assert.Equal(id, process.GetProperty("instanceId").GetString());
        }
    }

    [Fact]
    public async Task Several_addresses_make_one_row_each_and_an_unreachable_one_fails_the_exit_code()
    {
        var (vote, voteAddress) = await Mmupt.StartServerAsync("vote", "--port", "0", "--id", "vote-row");
        await using var _ = vote;
        var (rollout, rolloutAddress) = await Mmupt.StartServerAsync("rollout", "--port", "0", "--id", "rollout-row");
        await using var __ = rollout;

        var both = await Mmupt.RunAsync(["status", "--address", voteAddress.ToString(), "--address", rolloutAddress.ToString()]);
        Assert.True(both.ExitCode == 0, both.ToString());
        Assert.Contains("vote-row", both.Stdout);
        Assert.Contains("rollout-row", both.Stdout);

        var closed = $"http://127.0.0.1:{FreePort()}";
        var withDead = await Mmupt.RunAsync(["status", "--address", voteAddress.ToString(), "--address", closed]);
        Assert.Equal(1, withDead.ExitCode);
        Assert.Contains("vote-row", withDead.Stdout);
        Assert.Contains("nothing listens", withDead.Stdout);
    }

    [Fact]
    public async Task Nothing_listening_is_one_line()
    {
        var port = FreePort();
        var r = await Mmupt.RunAsync(["status", "--port", port.ToString()]);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"error: nothing listens on http://127.0.0.1:{port}", r.Stderr.Trim());
    }

    [Fact]
    public async Task An_http1_server_is_not_an_mmupt_process()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var serve = Task.Run(async () =>
        {
            // Answers every connection as a plain web server would.
            while (true)
            {
                using var client = await listener.AcceptTcpClientAsync();
                var stream = client.GetStream();
                _ = await stream.ReadAsync(new byte[4096]);   // the request, whatever it is
                await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi"));
            }
        });
        var r = await Mmupt.RunAsync(["status", "--port", ((IPEndPoint)listener.LocalEndpoint).Port.ToString(), "--timeout", "30"]);
        Assert.Equal(1, r.ExitCode);
        var line = Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.Contains("is not an mmupt process", line);
        listener.Stop();
        await Assert.ThrowsAnyAsync<Exception>(() => serve);
    }

    [Theory]
    [InlineData(new[] { "status" }, "--port (or --address) is required")]
    [InlineData(new[] { "status", "--address", "127.0.0.1:50051" }, "--address: '127.0.0.1:50051' is not an address")]
    [InlineData(new[] { "status", "--port", "50051", "--address", "http://127.0.0.1:50051" }, "not both")]
    public async Task Bad_usage_is_exit_2_with_the_flag_named(string[] args, string message)
    {
        var r = await Mmupt.RunAsync(args);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Stderr);
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
