using MmUpt.Testing;

namespace MmUpt.Cli.Tests;

/// <summary>Outputs go to a hidden sibling and are moved into place at the end; a command never writes into its input.</summary>
public sealed class OutputStagingTests(ExportedModel model) : IClassFixture<ExportedModel>, IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Init_replaces_an_earlier_checkpoint_whole_and_refuses_a_folder_holding_other_files()
    {
        var hf = _dir.File("hf");
        Assert.Equal(0, (await Mmupt.RunAsync("init", "--out", hf, "--seed", "1")).ExitCode);
        var first = await File.ReadAllBytesAsync(Path.Combine(hf, "model.safetensors"));
        Assert.Equal(0, (await Mmupt.RunAsync("init", "--out", hf, "--seed", "2")).ExitCode);
        Assert.NotEqual(first, await File.ReadAllBytesAsync(Path.Combine(hf, "model.safetensors")));
        Assert.Empty(Directory.GetDirectories(_dir.Path, ".mmupt-partial-*"));

        var mine = _dir.File("mine");
        Directory.CreateDirectory(mine);
        await File.WriteAllTextAsync(Path.Combine(mine, "notes.txt"), "keep");
        var (code, stdout, stderr) = await Mmupt.RunAsync("init", "--out", mine);
        CliContract.Holds("init", code, stdout, stderr);
        Assert.Equal(2, code);
        Assert.Contains("already holds 'notes.txt'", stderr);
        Assert.Equal(["notes.txt"], Directory.GetFileSystemEntries(mine).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Synth_tasks_under_a_file_is_refused_before_any_work()
    {
        await File.WriteAllTextAsync(_dir.File("file"), "x");
        var (code, stdout, stderr) = await Mmupt.RunAsync("data", "synth-tasks", "--out", _dir.File("file/data"), "--n", "5");
        CliContract.Holds("synth-tasks", code, stdout, stderr);
        Assert.Equal(2, code);
        Assert.Contains("is a file", stderr);
    }

    [Fact]
    public async Task Eval_and_synth_never_write_into_their_inputs()
    {
        var data = Path.Combine(model.Data, "eval.jsonl");
        var before = Directory.GetFileSystemEntries(model.Model).Order().ToList();

        var (code, stdout, stderr) = await Mmupt.RunAsync("eval", "--model", model.Model, "--data", data, "--out", model.Model);
        CliContract.Holds("eval", code, stdout, stderr);
        Assert.Equal(2, code);
        Assert.Contains("--out: ", stderr);
        Assert.Equal(before, Directory.GetFileSystemEntries(model.Model).Order().ToList());

        var copy = _dir.File("seeds.jsonl");
        File.Copy(data, copy);
        var original = await File.ReadAllBytesAsync(copy);
        (code, stdout, stderr) = await Mmupt.RunAsync("synth", "--strategy", "direct", "--model", model.Model, "--data", copy, "--out", copy);
        CliContract.Holds("synth", code, stdout, stderr);
        Assert.Equal(2, code);
        Assert.Contains("is the input", stderr);
        Assert.Equal(original, await File.ReadAllBytesAsync(copy));
    }

    [Fact]
    public async Task A_failed_synth_leaves_no_output_and_an_earlier_output_intact()
    {
        var seeds = _dir.File("upt.jsonl");   // unlabelled: in-context synthesis refuses them after the engine is up
        await File.WriteAllLinesAsync(seeds, File.ReadLines(Path.Combine(model.Data, "upt.jsonl"))
            .Select(l => l.Replace("\"images/", $"\"{model.Data}/images/")));
        var output = _dir.File("out/synth.jsonl");

        var (code, stdout, stderr) = await Mmupt.RunAsync("synth", "--strategy", "in-context", "--model", model.Model, "--data", seeds,
            "--samples", "1", "--max-new-tokens", "2", "--out", output);
        CliContract.Holds("synth", code, stdout, stderr);
        Assert.NotEqual(0, code);
        CliContract.NothingWritten("synth", output);
        CliContract.NothingWritten("synth", _dir.File("out/images/synth"));

        Assert.Equal(0, (await Mmupt.RunAsync("synth", "--strategy", "direct", "--model", model.Model, "--data", seeds,
            "--samples", "1", "--max-new-tokens", "2", "--out", output)).ExitCode);
        var earlier = await File.ReadAllBytesAsync(output);
        (code, _, _) = await Mmupt.RunAsync("synth", "--strategy", "in-context", "--model", model.Model, "--data", seeds,
            "--samples", "1", "--max-new-tokens", "2", "--out", output);
        Assert.NotEqual(0, code);
        Assert.Equal(earlier, await File.ReadAllBytesAsync(output));
        Assert.Empty(Directory.GetDirectories(_dir.File("out"), ".mmupt-partial-*"));

        // Re-running into the same output replaces the earlier output and its images folder (it was refused as "a folder").
        (code, stdout, stderr) = await Mmupt.RunAsync("synth", "--strategy", "direct", "--model", model.Model, "--data", seeds,
            "--samples", "1", "--max-new-tokens", "2", "--out", output);
        Assert.True(code == 0, stderr);
        Assert.True(Directory.Exists(_dir.File("out/images/synth")));
    }
}
