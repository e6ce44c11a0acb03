using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace MmUpt.Deploy.Tests;

/// <summary>The built <c>mmupt</c> run as its own process, as a container or a user runs it.</summary>
public sealed partial class Mmupt : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Mmupt(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        // A container sees only its own MMUPT_ variables.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MMUPT_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        start.ArgumentList.Add(Repository.MmuptDll);
        foreach (var a in args) start.ArgumentList.Add(a);
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_stdout) _stdout.AppendLine(e.Data);
            if (ListeningLine().Match(e.Data) is { Success: true } m) _listening.TrySetResult(new Uri(m.Groups[1].Value));
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data);
        };
        _process.Exited += (_, _) => _listening.TrySetException(new InvalidOperationException($"mmupt exited early: {Stderr}"));
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }

    /// <summary>Runs a command to completion (generous bound: a loaded 2-core machine).</summary>
    public static async Task<Result> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        await using var p = new Mmupt(args, environment);
        await p._process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        p._process.WaitForExit();   // drains the redirected streams
        return new Result(p._process.ExitCode, p.Stdout, p.Stderr);
    }

    /// <summary>Starts a server subcommand and waits for the address it prints.</summary>
    public static Task<(Mmupt Process, Uri Address)> StartServerAsync(params string[] args) => StartServerAsync(null, args);

    /// <summary>Starts a server subcommand with a container's environment and waits for the address it prints.</summary>
    public static async Task<(Mmupt Process, Uri Address)> StartServerAsync(IReadOnlyDictionary<string, string>? environment, IEnumerable<string> args)
    {
        var p = new Mmupt(args, environment);
        return (p, await p._listening.Task.WaitAsync(TimeSpan.FromMinutes(2)));
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>How one run ended.</summary>
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        /// <summary>The command line itself was refused (unknown subcommand or flag, unparsable value): CliRunner's usage path.</summary>
        public bool IsParseError => ExitCode == 2 && Stderr.Contains("see: mmupt", StringComparison.Ordinal);

        public override string ToString() => $"exit {ExitCode}\n{Stderr}{Stdout}";
    }

    [GeneratedRegex(@"listening on (https?://\S+)")]
    private static partial Regex ListeningLine();
}
