namespace MmUpt.Cli.Tests;

/// <summary>
/// A class fixture: the tiny checkpoint, its ORT GenAI export and a small synthetic dataset, made once through the
/// built <c>mmupt</c> for the tests that feed bad inputs next to good ones.
/// </summary>
public sealed class ExportedModel : IAsyncLifetime
{
    public string Root { get; } = Directory.CreateTempSubdirectory("mmupt-cli-model-").FullName;

    public string Checkpoint => Path.Combine(Root, "hf");

    public string Model => Path.Combine(Root, "onnx");

    public string Data => Path.Combine(Root, "data");

    public async Task InitializeAsync()
    {
        await Ok("init", "--preset", "tiny", "--out", Checkpoint);
        await Ok("export", "--checkpoint", Checkpoint, "--out", Model);
        await Ok("data", "synth-tasks", "--out", Data, "--sft", "2", "--upt", "2", "--eval", "3");
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Root, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>A copy of the exported model folder to break.</summary>
    public string CopyModel(string into)
    {
        Directory.CreateDirectory(into);
        foreach (var file in Directory.GetFiles(Model))
        {
            File.Copy(file, Path.Combine(into, Path.GetFileName(file)));
        }
        return into;
    }

    private static async Task Ok(params string[] args)
    {
        var (code, _, stderr) = await Mmupt.RunAsync(args);
        Assert.True(code == 0, $"mmupt {string.Join(' ', args)} exited {code}: {stderr}");
    }
}
