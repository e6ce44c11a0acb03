using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace MmUpt.Build.Tests;

/// <summary>Evaluates a project with <c>dotnet msbuild -getItem/-getProperty</c> (no restore, no build).</summary>
public sealed record Evaluation(IReadOnlyDictionary<string, string> PackageVersions, IReadOnlyList<string> PackageReferences, string DefineConstants)
{
    public static string RepoRoot { get; } = typeof(Evaluation).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepoRoot").Value!;

    /// <summary>The package references of a project with their centrally pinned versions, for one accelerator.</summary>
    public static async Task<Evaluation> OfAsync(string project, string accelerator)
    {
        var (code, stdout, stderr) = await MsBuildAsync(Path.Combine(RepoRoot, project), $"-p:Accelerator={accelerator}",
            "-getItem:PackageReference", "-getItem:PackageVersion", "-getProperty:DefineConstants");
        Assert.True(code == 0, stderr + stdout);
        using var json = JsonDocument.Parse(stdout);
        var items = json.RootElement.GetProperty("Items");
        var versions = items.GetProperty("PackageVersion").EnumerateArray()
            .ToDictionary(i => i.GetProperty("Identity").GetString()!, i => i.GetProperty("Version").GetString()!);
        var references = items.GetProperty("PackageReference").EnumerateArray().Select(i => i.GetProperty("Identity").GetString()!).ToList();
        return new Evaluation(versions, references,
            json.RootElement.GetProperty("Properties").GetProperty("DefineConstants").GetString() ?? "");
    }

    public static async Task<(int Code, string Stdout, string Stderr)> MsBuildAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoRoot };
        start.ArgumentList.Add("msbuild");
        start.ArgumentList.Add("-nologo");
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The references with their pinned versions, e.g. "TorchSharp 0.107.0".</summary>
    public IEnumerable<string> Pinned(Func<string, bool> filter) =>
        PackageReferences.Where(filter).Select(r => $"{r} {PackageVersions.GetValueOrDefault(r, "UNPINNED")}");
}
