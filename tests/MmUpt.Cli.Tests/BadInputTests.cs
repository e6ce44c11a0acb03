using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using MmUpt.Testing;

namespace MmUpt.Cli.Tests;

/// <summary>Issue 11, finding 6: every bad input the issue lists, through the built <c>mmupt</c>, is one line and an exit code.</summary>
public sealed class BadInputTests(ExportedModel model) : IClassFixture<ExportedModel>, IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string EvalJsonl => Path.Combine(model.Data, "eval.jsonl");

    private static string Row(string image) => JsonSerializer.Serialize(new { problem = "<image>q", answer = "1", image });

    private static string[] ErrorLines(string stderr) =>
        [.. stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.StartsWith("error: "))];

    [Fact]
    public async Task A_jsonl_line_with_invalid_utf8_is_skipped_by_inspect_and_eval_and_fatal_with_strict()
    {
        var path = _dir.File("d.jsonl");
        await File.WriteAllBytesAsync(path, [.. "{\"problem\": \"caf"u8, 0xC3, 0x28, .. "\", \"answer\": \"1\"}\n{\"problem\": \"1+1?\", \"answer\": \"2\"}\n"u8]);

        var (code, stdout, stderr) = await Mmupt.RunAsync("data", "inspect", "--data", path);
        CliContract.Holds("inspect", code, stdout, stderr);
        Assert.Equal(0, code);
        Assert.Contains($"skipped: {path} line 1: not valid UTF-8", stdout);

        (code, stdout, stderr) = await Mmupt.RunAsync("eval", "--model", model.Model, "--data", path, "--samples", "1",
            "--max-new-tokens", "2", "--out", _dir.File("ev"));
        CliContract.Holds("eval", code, stdout, stderr);
        Assert.Equal(0, code);
        Assert.Contains($"skipped: {path} line 1: not valid UTF-8", stderr);

        (code, stdout, stderr) = await Mmupt.RunAsync("eval", "--model", model.Model, "--data", path, "--strict", "--out", _dir.File("strict"));
        CliContract.Holds("eval --strict", code, stdout, stderr);
        Assert.Equal(1, code);
        Assert.Equal($"error: {path} line 1: not valid UTF-8 (byte 17 of the line)", Assert.Single(ErrorLines(stderr)));
        CliContract.NothingWritten("eval --strict", _dir.File("strict"));
    }

    [Fact]
    public async Task Undecodable_extreme_huge_and_endless_images_are_skipped_rows_in_eval()
    {
        await File.WriteAllBytesAsync(_dir.File("garbage.png"), BadImages.GarbageBody());
        await File.WriteAllBytesAsync(_dir.File("wide.png"), BadImages.Black(100_000, 1));
        await File.WriteAllBytesAsync(_dir.File("huge.png"), BadImages.Black(20_000, 20_000));
        var path = _dir.File("images.jsonl");
        await File.WriteAllLinesAsync(path, [Row("garbage.png"), Row("wide.png"), Row("huge.png"), Row("/dev/zero"),
            .. File.ReadLines(EvalJsonl).Take(1).Select(l => l.Replace("\"images/", $"\"{model.Data}/images/"))]);

        var (code, stdout, stderr) = await Mmupt.RunAsync(new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "0x20000000" },
            "eval", "--model", model.Model, "--data", path, "--samples", "1", "--max-new-tokens", "2", "--out", _dir.File("ev"));

        CliContract.Holds("eval", code, stdout, stderr);
        Assert.Equal(0, code);
        Assert.Contains("line 1: image 0 (", stderr);
        Assert.Contains("line 2: image 0 (", stderr);
        Assert.Contains("image of 100000x1 px has an aspect ratio over 200", stderr);
        Assert.Contains("image of 20000x20000 px (400.0 MP) is over the limit of 50.0 MP", stderr);
        Assert.Contains("line 4: field 'image': /dev/zero is not a PNG", stderr);
        Assert.Contains("4 malformed row(s) skipped", stderr);
        Assert.True(File.Exists(_dir.File("ev/eval.json")));
    }

    [Fact]
    public async Task A_file_that_is_not_parquet_is_one_error_line_in_eval()
    {
        var path = _dir.File("x.parquet");
        File.Copy(EvalJsonl, path);

        var (code, stdout, stderr) = await Mmupt.RunAsync("eval", "--model", model.Model, "--data", path, "--out", _dir.File("ev"));

        CliContract.Holds("eval", code, stdout, stderr);
        Assert.Equal(1, code);
        Assert.StartsWith($"error: {path}: not a readable Parquet file", Assert.Single(ErrorLines(stderr)));
        CliContract.NothingWritten("eval", _dir.File("ev"));
    }

    [Theory]
    [InlineData("eval", "decoder.onnx", "decoder.onnx (model.decoder.filename in genai_config.json) is missing")]
    [InlineData("eval", "vision.onnx", "vision.onnx (model.vision.filename in genai_config.json) is missing")]
    [InlineData("eval", "tokenizer.json", "tokenizer.json is missing")]
    [InlineData("synth", "tokenizer_config.json", "tokenizer_config.json is missing")]
    [InlineData("synth", "genai_config.json", "genai_config.json is missing (run mmupt export)")]
    public async Task A_model_folder_missing_a_file_is_one_line_at_start(string command, string missing, string expected)
    {
        var folder = model.CopyModel(_dir.File("m"));
        File.Delete(Path.Combine(folder, missing));

        var (code, stdout, stderr) = await RunOnModelAsync(command, folder);

        CliContract.Holds(command, code, stdout, stderr);
        Assert.Equal(2, code);
        var line = Assert.Single(ErrorLines(stderr));
        Assert.StartsWith("error: --model: ", line);
        Assert.EndsWith(expected, line);
    }

    [Fact]
    public async Task A_corrupt_genai_config_is_one_line_at_start()
    {
        var folder = model.CopyModel(_dir.File("m"));
        var config = Path.Combine(folder, "genai_config.json");
        await File.WriteAllTextAsync(config, File.ReadAllText(config)[..100]);

        foreach (var command in new[] { "eval", "synth" })
        {
            var (code, stdout, stderr) = await RunOnModelAsync(command, folder);
            CliContract.Holds(command, code, stdout, stderr);
            Assert.Equal(2, code);
            Assert.StartsWith($"error: --model: {config} is not valid JSON", Assert.Single(ErrorLines(stderr)));
        }
    }

    private Task<(int, string, string)> RunOnModelAsync(string command, string folder) => command == "eval"
        ? Mmupt.RunAsync("eval", "--model", folder, "--data", EvalJsonl, "--out", _dir.File("ev"))
        : Mmupt.RunAsync("synth", "--strategy", "direct", "--model", folder, "--data", EvalJsonl, "--out", _dir.File("s.jsonl"));

    [Fact]
    public async Task An_unresolvable_host_is_one_line_naming_the_flag()
    {
        var (code, stdout, stderr) = await Mmupt.RunAsync("vote", "--host", "nonexistent.invalid", "--port", "0");

        CliContract.Holds("vote", code, stdout, stderr);
        Assert.Equal(2, code);
        Assert.StartsWith("error: --host (Server:Host): cannot resolve host 'nonexistent.invalid'", Assert.Single(ErrorLines(stderr)));
    }

    [Fact]
    public async Task A_port_in_use_is_one_line_without_the_hosts_stack_traces()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var (code, stdout, stderr) = await Mmupt.RunAsync("vote", "--port", port);

        CliContract.Holds("vote", code, stdout, stderr);
        Assert.Equal(1, code);
        Assert.StartsWith($"error: cannot listen on 127.0.0.1:{port}: ", Assert.Single(ErrorLines(stderr)));
        Assert.DoesNotContain("fail:", stdout);
        Assert.InRange(stdout.Length + stderr.Length, 0, 1024);
    }

    [Fact]
    public async Task An_unknown_section_in_the_environment_is_rejected()
    {
        var (code, stdout, stderr) = await Mmupt.RunAsync(new Dictionary<string, string> { ["MMUPT_Bogus__X"] = "1" }, "vote", "--dry-run");

        CliContract.Holds("vote", code, stdout, stderr);
        Assert.Equal(2, code);
        Assert.Equal("error: Bogus: unknown section in environment variable MMUPT_Bogus__X; known: Server, Security, Voting",
            Assert.Single(ErrorLines(stderr)));
    }

    [Fact]
    public async Task A_missing_model_folder_stops_the_rollout_worker_at_start()
    {
        var (code, stdout, stderr) = await Mmupt.RunAsync("rollout", "--model", "/nonexistent", "--port", "0");

        CliContract.Holds("rollout", code, stdout, stderr);
        Assert.Equal(2, code);
        Assert.Equal("error: --model (Rollout:Model): folder not found: /nonexistent", Assert.Single(ErrorLines(stderr)));
        Assert.DoesNotContain("listening", stdout);
    }
}
