using System.Collections.Concurrent;
using System.Text.Json;
using MmUpt.Testing;

namespace MmUpt.Cli.Tests;

/// <summary>
/// Seeded corruptions of every kind of input the CLI reads — dataset rows, images, dataset files, configuration files,
/// exported model folders, checkpoints — each fed to the commands that read it, checked against <see cref="CliContract"/>:
/// exit 0, 1 or 2, an <c>error:</c> line on failure, no stack trace, no unexpected-failure line, and no output left by a
/// failed run. Rows and images are batched hundreds to a process (the commands skip bad rows); file-level corruptions
/// need a process each and run two at a time. Every child runs with a 768 MB managed-heap limit (DOTNET_GCHeapHardLimit),
/// so an unbounded allocation fails the case instead of the machine. A failing case prints its seed and mutation.
/// </summary>
public sealed class CliFuzzTests(ExportedModel model) : IClassFixture<ExportedModel>, IDisposable
{
    private const int Rows = 200;
    private static readonly Dictionary<string, string> Bounded = new() { ["DOTNET_GCHeapHardLimit"] = "0x30000000" };

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args) => await Mmupt.RunAsync(Bounded, args);

    [Fact]
    public async Task Hundreds_of_corrupted_rows_and_images_through_inspect_eval_and_synth()
    {
        var png = await File.ReadAllBytesAsync(Directory.GetFiles(Path.Combine(model.Data, "images", "eval"))[0]);
        var template = JsonSerializer.Serialize(new { id = "r", problem = "<image>How many?", answer = "3", image = "img.png", kind = "count" });
        var data = await CorruptRows.WriteAsync(_dir.Path, template, png, new Mutator(seed: 101), Rows);

        var (code, stdout, stderr) = await RunAsync("data", "inspect", "--data", data, "--show", "0");
        CliContract.Holds("inspect", code, stdout, stderr);
        Assert.Equal(0, code);
        Assert.Matches(@"\d+ usable, \d+ skipped", stdout);

        (code, stdout, stderr) = await RunAsync("eval", "--model", model.Model, "--data", data, "--samples", "1", "--max-new-tokens", "1",
            "--out", _dir.File("ev"));
        CliContract.Holds("eval", code, stdout, stderr);
        Assert.Equal(0, code);
        Assert.Matches(@"\d+ malformed row\(s\) skipped", stderr);

        (code, stdout, stderr) = await RunAsync("eval", "--model", model.Model, "--data", data, "--strict", "--out", _dir.File("strict"));
        CliContract.Holds("eval --strict", code, stdout, stderr);
        Assert.Equal(1, code);
        CliContract.NothingWritten("eval --strict", _dir.File("strict"));

        (code, stdout, stderr) = await RunAsync("synth", "--strategy", "direct", "--model", model.Model, "--data", data, "--samples", "1",
            "--max-new-tokens", "2", "--out", _dir.File("synth.jsonl"));
        CliContract.Holds("synth", code, stdout, stderr);
        Assert.Equal(0, code);
    }

    [Fact]
    public async Task Hundreds_of_corrupted_lines_through_grade_and_vote_offline()
    {
        var mutator = new Mutator(seed: 102);
        var pair = JsonSerializer.Serialize(new { candidate = "\\frac{1}{2}", reference = "0.5", choices = new[] { "A", "B" } });
        var group = JsonSerializer.Serialize(new { id = "g", responses = new[] { "\\boxed{2}", "\\boxed{3}" }, reference = "2", prompt = "A. 2 B. 3" });
        foreach (var (command, template) in new[] { ("grade", pair), ("vote-offline", group) })
        {
            var path = _dir.File($"{command}.jsonl");
            await File.WriteAllBytesAsync(path, [.. Enumerable.Range(0, Rows)
                .SelectMany(i => mutator.AnyJson(template, out var _).Where(b => b != (byte)'\n').Append((byte)'\n'))]);
            var (code, stdout, stderr) = await RunAsync(command, "--in", path, "--mode", "robust");
            CliContract.Holds(command, code, stdout, stderr);
        }
    }

    [Fact]
    public async Task Corrupted_configs_datasets_and_model_folders_one_process_each()
    {
        var cases = new List<(string Name, string[] Args, string? Output)>();
        var mutator = new Mutator(seed: 103);

        // Configuration files: every role's resolved configuration (--dry-run), corrupted, read back with --dry-run.
        foreach (var role in new[] { "vote", "rollout", "learn" })
        {
            var resolved = (await Mmupt.RunAsync(role, "--dry-run")).Stdout;
            for (var i = 0; i < 6; i++)
            {
                var path = _dir.File($"{role}{i}.json");
                await File.WriteAllBytesAsync(path, mutator.AnyJson(resolved, out var kind));
                cases.Add(($"{role} config {i} ({kind})", [role, "--config", path, "--dry-run"], null));
            }
            cases.Add(($"{role} config folder", [role, "--config", MakeFolder($"{role}-dir.json"), "--dry-run"], null));
            cases.Add(($"{role} config loop", [role, "--config", MakeLoop($"{role}-loop.json"), "--dry-run"], null));
        }

        // Dataset files: corrupted Parquet and JSONL files, folders and loops in their place.
        var parquet = _dir.File("ok.parquet");
        var (built, _, buildErr) = await Mmupt.RunAsync("data", "synth-tasks", "--out", _dir.File("pq"), "--n", "6", "--parquet");
        Assert.True(built == 0, buildErr);
        File.Copy(Path.Combine(_dir.File("pq"), "eval.parquet"), parquet);
        var validParquet = await File.ReadAllBytesAsync(parquet);
        for (var i = 0; i < 10; i++)
        {
            var path = _dir.File($"d{i}.parquet");
            await File.WriteAllBytesAsync(path, mutator.Bytes(validParquet, out var kind));
            cases.Add(($"inspect parquet {i} ({kind})", ["data", "inspect", "--data", path], null));
        }
        cases.Add(("inspect empty jsonl", ["data", "inspect", "--data", MakeFile("empty.jsonl", [])], null));
        cases.Add(("inspect folder", ["data", "inspect", "--data", MakeFolder("folder.jsonl")], null));
        cases.Add(("inspect loop", ["data", "inspect", "--data", MakeLoop("loop.parquet")], null));
        cases.Add(("eval corrupted parquet", ["eval", "--model", model.Model, "--data", _dir.File("d0.parquet"), "--out", Out("e-pq")], Out("e-pq")));

        // Exported model folders: genai_config.json corrupted, files missing, folders and loops in their place, ONNX bit flips.
        var evalData = Path.Combine(model.Data, "eval.jsonl");
        var genai = await File.ReadAllTextAsync(Path.Combine(model.Model, "genai_config.json"));
        for (var i = 0; i < 10; i++)
        {
            var folder = model.CopyModel(_dir.File($"m{i}"));
            await File.WriteAllBytesAsync(Path.Combine(folder, "genai_config.json"), mutator.AnyJson(genai, out var kind));
            cases.Add(($"eval genai_config {i} ({kind})", EvalArgs(folder, evalData, $"e{i}"), Out($"e{i}")));
        }
        foreach (var (name, breakIt) in new (string, Action<string>)[]
        {
            ("tokenizer.json folder", f => { File.Delete(Path.Combine(f, "tokenizer.json")); Directory.CreateDirectory(Path.Combine(f, "tokenizer.json")); }),
            ("genai_config loop", f => { File.Delete(Path.Combine(f, "genai_config.json")); File.CreateSymbolicLink(Path.Combine(f, "genai_config.json"), Path.Combine(f, "genai_config.json")); }),
            ("empty decoder.onnx", f => File.WriteAllBytes(Path.Combine(f, "decoder.onnx"), [])),
            ("truncated vision.onnx", f => File.WriteAllBytes(Path.Combine(f, "vision.onnx"), File.ReadAllBytes(Path.Combine(f, "vision.onnx"))[..200])),
            ("bit-flipped embedding.onnx", f => File.WriteAllBytes(Path.Combine(f, "embedding.onnx"), new Mutator(7).Bytes(File.ReadAllBytes(Path.Combine(f, "embedding.onnx")), out _))),
            ("corrupt tokenizer.json", f => File.WriteAllText(Path.Combine(f, "tokenizer.json"), "{\"model\": [")),
            ("corrupt preprocessor_config.json", f => File.WriteAllText(Path.Combine(f, "preprocessor_config.json"), "{\"patch_size\": \"x\"}")),
        })
        {
            var folder = model.CopyModel(_dir.File($"m-{cases.Count}"));
            breakIt(folder);
            cases.Add(($"eval model: {name}", EvalArgs(folder, evalData, $"e-{cases.Count}"), Out($"e-{cases.Count}")));
        }
        cases.Add(("eval model is a file", EvalArgs(evalData, evalData, "e-file"), Out("e-file")));

        await RunAllAsync(cases);
    }

    /// <summary>The export's inputs (owned with <c>export</c> by the checkpoint work): corrupted HF checkpoint folders.</summary>
    [Fact]
    public async Task Corrupted_checkpoints_through_export()
    {
        var cases = new List<(string Name, string[] Args, string? Output)>();
        var mutator = new Mutator(seed: 104);
        var config = await File.ReadAllTextAsync(Path.Combine(model.Checkpoint, "config.json"));
        var weights = await File.ReadAllBytesAsync(Path.Combine(model.Checkpoint, "model.safetensors"));
        for (var i = 0; i < 20; i++)
        {
            var folder = CopyCheckpoint($"c{i}");
            string kind;
            if (i % 3 == 2)
            {
                await File.WriteAllBytesAsync(Path.Combine(folder, "model.safetensors"), mutator.Bytes(weights[..Math.Min(weights.Length, 4096)], out kind));
                kind = "safetensors " + kind;
            }
            else
            {
                await File.WriteAllBytesAsync(Path.Combine(folder, "config.json"), mutator.AnyJson(config, out kind));
            }
            cases.Add(($"export {i} ({kind})", ["export", "--checkpoint", folder, "--out", Out($"x{i}")], Out($"x{i}")));
        }
        var noTokenizer = CopyCheckpoint("c-tok");
        File.Delete(Path.Combine(noTokenizer, "tokenizer.json"));
        cases.Add(("export without tokenizer.json", ["export", "--checkpoint", noTokenizer, "--out", Out("x-tok")], Out("x-tok")));
        var loop = CopyCheckpoint("c-loop");
        File.Delete(Path.Combine(loop, "config.json"));
        File.CreateSymbolicLink(Path.Combine(loop, "config.json"), Path.Combine(loop, "config.json"));
        cases.Add(("export config.json loop", ["export", "--checkpoint", loop, "--out", Out("x-loop")], Out("x-loop")));

        await RunAllAsync(cases);
    }

    private string[] EvalArgs(string folder, string data, string output) =>
        ["eval", "--model", folder, "--data", data, "--samples", "1", "--max-new-tokens", "1", "--limit", "1", "--out", Out(output)];

    /// <summary>
    /// A case's output path, alone in a folder of its own: cases run two at a time, and the check that a failed command
    /// left no partial folder next to its output must not see the other case's staging (a command still running).
    /// </summary>
    private string Out(string name) => Path.Combine(Directory.CreateDirectory(_dir.File("out-" + name)).FullName, name);

    private string CopyCheckpoint(string name)
    {
        var folder = _dir.File(name);
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(model.Checkpoint)) File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        return folder;
    }

    private string MakeFolder(string name) => Directory.CreateDirectory(_dir.File(name)).FullName;

    private string MakeLoop(string name)
    {
        File.CreateSymbolicLink(_dir.File(name), _dir.File(name));
        return _dir.File(name);
    }

    private string MakeFile(string name, byte[] bytes)
    {
        File.WriteAllBytes(_dir.File(name), bytes);
        return _dir.File(name);
    }

    // Two at a time: each case is its own process. Failures are collected so one run names every broken case.
    private static async Task RunAllAsync(List<(string Name, string[] Args, string? Output)> cases)
    {
        var failures = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (c, _) =>
        {
            var (code, stdout, stderr) = await RunAsync(c.Args);
            try
            {
                CliContract.Holds(c.Name, code, stdout, stderr);
                if (code != 0 && c.Output is { } output) CliContract.NothingWritten(c.Name, output);
            }
            catch (Exception ex)
            {
                failures.Add(ex.Message);
            }
        });
        Assert.True(failures.IsEmpty, $"{failures.Count} of {cases.Count} cases broke the contract:\n\n{string.Join("\n\n", failures)}");
    }
}
