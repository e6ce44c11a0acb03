using System.Globalization;
using MmUpt.Testing;

namespace MmUpt.Cli.Tests;

/// <summary><c>--metrics-port</c> on a server subcommand, as users start it.</summary>
public sealed class MetricsFlagTests
{
    [Fact]
    public async Task A_server_started_with_metrics_port_prints_and_serves_its_metrics()
    {
        var port = MetricsScrape.FreePort().ToString(CultureInfo.InvariantCulture);
        var (process, _) = await Mmupt.StartServerAsync("vote", "--port", "0", "--metrics-port", port, "--id", "vote-m");
        await using var _ = process;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!process.Stdout.Contains($"mmupt vote metrics on http://127.0.0.1:{port}/metrics"))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no metrics line in: {process.Stdout}");
            await Task.Delay(50);
        }
        var scrape = await MetricsScrape.GetAsync(int.Parse(port, CultureInfo.InvariantCulture));
        Assert.Equal(0, scrape["mmupt_voting_groups_scored_total"]);
        Assert.Contains("mmupt_process_info{role=\"vote\",instance_id=\"vote-m\"", scrape.Text);
        Assert.Equal(0, await process.StopAsync(Mmupt.SigTerm));
    }

    [Fact]
    public async Task The_metrics_port_equal_to_the_grpc_port_is_a_usage_error_naming_the_flag()
    {
        var (code, _, stderr) = await Mmupt.RunAsync("vote", "--port", "50990", "--metrics-port", "50990");
        Assert.Equal(2, code);
        Assert.StartsWith("error: --metrics-port (Server:MetricsPort): 50990 is also the gRPC port", stderr.Trim());
    }
}
