namespace MmUpt.Cli.Tests;

/// <summary>
/// A class fixture for the step-loop tests: the tiny checkpoint, its export with every weight in external data (so
/// replicas can load the learner's weights versions) and a small synthetic task set, made through the built <c>mmupt</c>.
/// </summary>
public sealed class LoopModel : IAsyncLifetime
{
    public string Root { get; } = Directory.CreateTempSubdirectory("mmupt-loop-model-").FullName;

    public string Checkpoint => Path.Combine(Root, "hf");

    public string Model => Path.Combine(Root, "onnx");

    public string Data => Path.Combine(Root, "data");

    public async Task InitializeAsync()
    {
        await Ok("init", "--preset", "tiny", "--out", Checkpoint);
        await Ok("export", "--checkpoint", Checkpoint, "--out", Model, "--external-data", "always");
        await Ok("data", "synth-tasks", "--out", Data, "--sft", "8", "--upt", "40", "--eval", "6");
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Root, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>A UPT recipe over <paramref name="replicas"/> writing into <paramref name="run"/>.</summary>
    public string Recipe(string run, string voting, IEnumerable<Uri> replicas, int steps, int promptsPerStep = 4, int maxNewTokens = 8)
    {
        var path = run + ".recipe.json";
        var addresses = string.Join(", ", replicas.Select(r => $"\"{r.ToString().TrimEnd('/')}\""));
        File.WriteAllText(path, $$"""
            {
              "Train": {
                "Checkpoint": "{{Checkpoint}}", "Out": "{{run}}", "Voting": "{{voting.TrimEnd('/')}}",
                "PromptsPerStep": {{promptsPerStep}}, "GroupSize": 4, "MaxNewTokens": {{maxNewTokens}}, "CheckpointInterval": 1,
                "Replicas": { "Addresses": [ {{addresses}} ], "CallDeadline": "00:01:00", "RetryDelay": "00:00:00.200" },
                "Stages": [ { "Kind": "Upt", "Data": "{{Path.Combine(Data, "upt.jsonl")}}", "Steps": {{steps}} } ]
              },
              "Guard": { "Enabled": false },
              "Learner": { "Threads": 1, "Trainer": { "LearningRate": 0.0001, "MicroBatchSize": 16 } }
            }
            """);
        return path;
    }

    private static async Task Ok(params string[] args)
    {
        var (code, _, stderr) = await Mmupt.RunAsync(args);
        Assert.True(code == 0, $"mmupt {string.Join(' ', args)} exited {code}: {stderr}");
    }
}
