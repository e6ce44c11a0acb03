namespace MmUpt.Cli.Tests;

/// <summary>Help, and bad usage: one line naming the option, exit code 2, nothing started.</summary>
public sealed class UsageTests
{
    private static readonly string[] Subcommands =
        ["rollout", "vote", "learn", "init", "export", "data", "grade", "vote-offline", "grpo-loss", "eval", "synth"];

    [Fact]
    public async Task Root_help_lists_the_subcommands()
    {
        var (code, stdout, _) = await Mmupt.RunAsync("--help");
        Assert.Equal(0, code);
        foreach (var command in Subcommands)
        {
            Assert.Contains($"  {command} ", stdout);
        }
    }

    [Theory]
    [InlineData("init")]
    [InlineData("export")]
    [InlineData("data")]
    [InlineData("data synth-tasks")]
    [InlineData("data inspect")]
    [InlineData("grade")]
    [InlineData("vote-offline")]
    [InlineData("grpo-loss")]
    [InlineData("eval")]
    [InlineData("synth")]
    public async Task Every_tool_subcommand_has_help_with_an_example(string command)
    {
        var (code, stdout, _) = await Mmupt.RunAsync([.. command.Split(' '), "--help"]);
        Assert.Equal(0, code);
        Assert.Contains("Example:", stdout);
        Assert.Contains($"mmupt {command.Split(' ')[0]} ", stdout);
    }

    [Theory]
    [InlineData("rollout")]
    [InlineData("vote")]
    [InlineData("learn")]
    public async Task Every_subcommand_has_help_with_an_example_and_the_common_flags(string command)
    {
        var (code, stdout, _) = await Mmupt.RunAsync(command, "--help");
        Assert.Equal(0, code);
        Assert.Contains("Example:", stdout);
        Assert.Contains($"mmupt {command} ", stdout);
        foreach (var flag in new[] { "--host", "--port", "--config", "--dry-run" })
        {
            Assert.Contains(flag, stdout);
        }
    }

    [Theory]
    [InlineData("--port", "70000", "vote", "--port (Server:Port)")]
    [InlineData("--port", "abc", "vote", "--port")]
    [InlineData("--device", "cuda:0", "learn", "-p:Accelerator=cuda")]
    [InlineData("--device", "tpu", "rollout", "--device (Rollout:Device)")]
    [InlineData("--voting", "127.0.0.1:50052", "rollout", "--voting (Rollout:VotingAddress)")]
    [InlineData("--mode", "plurality", "vote", "--mode (Voting:Mode)")]
    [InlineData("--config", "/nonexistent/mmupt.json", "learn", "file not found")]
    [InlineData("--bogus", "1", "vote", "--bogus")]
    public async Task Bad_option_is_one_line_naming_it_with_exit_code_2(string flag, string value, string command, string expected)
    {
        var (code, stdout, stderr) = await Mmupt.RunAsync(command, flag, value);
        Assert.Equal(2, code);
        Assert.Contains(expected, stderr);
        Assert.StartsWith("error: ", stderr);
        Assert.DoesNotContain("listening", stdout);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public async Task Rollout_flags_reach_their_options_and_model_reuse_is_on_by_default()
    {
        var (code, stdout, stderr) = await Mmupt.RunAsync("rollout", "--dry-run");
        Assert.True(code == 0, stderr);
        Assert.Contains("\"ReuseModels\": true", stdout);
        Assert.Contains("\"Threads\": 0", stdout);
        (code, stdout, stderr) = await Mmupt.RunAsync("rollout", "--threads", "1", "--dry-run");
        Assert.True(code == 0, stderr);
        Assert.Contains("\"Threads\": 1", stdout);
    }

    [Fact]
    public async Task Environment_and_config_file_feed_the_dry_run()
    {
        var dir = Directory.CreateTempSubdirectory("mmupt-cli-").FullName;
        try
        {
            var config = Path.Combine(dir, "vote.json");
            await File.WriteAllTextAsync(config, """{ "Server": { "Port": 6123 }, "Voting": { "Mode": "robust" } }""");
            var (code, stdout, stderr) = await Mmupt.RunAsync("vote", "--config", config, "--host", "0.0.0.0", "--dry-run");
            Assert.True(code == 0, stderr);
            Assert.Contains("\"Port\": 6123", stdout);
            Assert.Contains("\"Host\": \"0.0.0.0\"", stdout);
            Assert.Contains("\"Mode\": \"robust\"", stdout);

            await File.WriteAllTextAsync(config, """{ "Voting": { "Mood": "robust" } }""");
            (code, _, stderr) = await Mmupt.RunAsync("vote", "--config", config);
            Assert.Equal(2, code);
            Assert.Contains("Mood", stderr);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
