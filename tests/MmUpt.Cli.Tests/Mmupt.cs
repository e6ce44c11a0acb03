using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using System.Text;

namespace MmUpt.Cli.Tests;

/// <summary>Runs the built <c>mmupt</c> in its own process.</summary>
public sealed partial class Mmupt : IAsyncDisposable
{
    public const int SigInt = 2;
    public const int SigTerm = 15;
    public const int SigKill = 9;

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Mmupt(string[] args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        start.ArgumentList.Add(Dll);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }
            lock (_stdout)
            {
                _stdout.AppendLine(e.Data);
            }
            var m = ListeningLine().Match(e.Data);
            if (m.Success)
            {
                _listening.TrySetResult(new Uri(m.Groups[1].Value));
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr)
                {
                    _stderr.AppendLine(e.Data);
                }
            }
        };
        _process.Exited += (_, _) => _listening.TrySetException(new InvalidOperationException($"mmupt exited early: {Stderr}"));
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The built CLI; <c>CLI_TESTS_MMUPT_DLL</c> points the tests at another build (e.g. the code before a fix).</summary>
    public static string Dll { get; } = Environment.GetEnvironmentVariable("CLI_TESTS_MMUPT_DLL") is { Length: > 0 } other
        ? other
        : typeof(Mmupt).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "MmuptDll").Value!;

    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts a server subcommand and waits until it prints the address it listens on.</summary>
    public static async Task<(Mmupt Process, Uri Address)> StartServerAsync(params string[] args)
    {
        var process = new Mmupt(args);
        var address = await process._listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return (process, address);
    }

    /// <summary>Runs a command to completion.</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args) => RunAsync(null, args);

    /// <summary>Runs a command to completion with extra environment variables.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        await using var process = new Mmupt(args, environment);
        await process._process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        return (process._process.ExitCode, process.Stdout, process.Stderr);
    }

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Waits until stdout has a line containing <paramref name="text"/> (polled; the process may still be starting).</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Stdout.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited) throw new InvalidOperationException($"mmupt exited ({_process.ExitCode}) before printing '{text}': {Stderr}\n{Stdout}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no '{text}' within {timeout.TotalSeconds} s; stdout so far:\n{Stdout}\nstderr:\n{Stderr}");
            await Task.Delay(100);
        }
    }

    /// <summary>Waits for the process to end by itself and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    /// <summary>Sends a signal and waits for the exit code.</summary>
    public async Task<int> StopAsync(int signal)
    {
        Assert.Equal(0, Kill(_process.Id, signal));
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return _process.ExitCode;
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

    [GeneratedRegex(@"listening on (https?://\S+)")]
    private static partial Regex ListeningLine();

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
