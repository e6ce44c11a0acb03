namespace MmUpt.Cli.Tests;

/// <summary><c>mmupt train</c>: the recipe resolves from JSON, YAML and flags; bad input is one line naming the key.</summary>
public sealed class TrainCommandTests
{
    [Fact]
    public async Task A_yaml_recipe_and_flags_resolve_in_the_dry_run()
    {
        var dir = Directory.CreateTempSubdirectory("mmupt-train-").FullName;
        try
        {
            var recipe = Path.Combine(dir, "recipe.yaml");
            await File.WriteAllTextAsync(recipe, """
                Train:
                  Checkpoint: runs/demo/sft
                  Stages:
                    - Kind: Upt
                      Data: upt.jsonl
                      Steps: 7
                  Replicas:
                    Addresses: [ "http://127.0.0.1:50051" ]
                Guard:
                  Action: Stop
                """);
            var (code, stdout, stderr) = await Mmupt.RunAsync("train", "--config", recipe, "--mode", "async",
                "--rollout", "http://127.0.0.1:50051,http://127.0.0.1:50061", "--set", "Train:Replicas:HedgeAfter=00:00:30", "--dry-run");
            Assert.True(code == 0, stderr);
            Assert.Contains("\"Mode\": \"Async\"", stdout);
            Assert.Contains("\"Steps\": 7", stdout);
            Assert.Contains("http://127.0.0.1:50061", stdout);
            Assert.Contains("\"HedgeAfter\": \"00:00:30\"", stdout);
            Assert.Contains("\"Action\": \"Stop\"", stdout);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("--group-size", "1", "--group-size (Train:GroupSize)")]
    [InlineData("--set", "Train:Replicas:Addresses:0=127.0.0.1:50051", "Train:Replicas:Addresses:0")]
    [InlineData("--set", "Train:Stagez=1", "Stagez")]
    [InlineData("--set", "novalue", "--set")]
    public async Task Bad_input_is_one_line_naming_it(string flag, string value, string expected)
    {
        var (code, _, stderr) = await Mmupt.RunAsync("train", "--checkpoint", "ckpt", "--upt-data", "u.jsonl",
            "--rollout", "http://127.0.0.1:50051", flag, value, "--dry-run");
        Assert.Equal(2, code);
        Assert.StartsWith("error: ", stderr);
        Assert.Contains(expected, stderr);
        Assert.DoesNotContain("   at ", stderr);
    }
}
