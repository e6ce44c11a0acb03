using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using MmUpt.Hosting;

namespace MmUpt.Cli.Demo;

/// <summary>
/// One child process of the demo: its stdout and stderr go line by line to its log file (and stdout optionally to an
/// echo), the last stderr lines are kept for error messages, and a server's <c>mmupt ROLE listening on URL</c> line
/// gives its address. <see cref="StopAsync"/> sends SIGTERM (the servers' graceful shutdown), then kills the process
/// tree after a grace period.
/// </summary>
public sealed partial class ChildProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private const int TailLines = 6;

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Queue<string> _stderrTail = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<string>? _echo;
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private bool _closed;

    private ChildProcess(string name, MmuptCommand command, IReadOnlyList<string> args, string logPath, Action<string>? echo)
    {
        (Name, LogPath, _echo) = (name, logPath, echo);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logPath))!);
        _log = new StreamWriter(logPath, append: false) { AutoFlush = true };
        var start = new ProcessStartInfo(command.FileName)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var a in command.Prefix.Concat(args)) start.ArgumentList.Add(a);
        // Servers read their stdin to its end when this is set: should this process die without stopping them (SIGKILL),
        // the pipe closes and they stop themselves (MmUpt.Hosting.SupervisorWatch).
        start.Environment[SupervisorWatch.Variable] = "true";
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data, stderr: false);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data, stderr: true);
        _process.Exited += (_, _) =>
        {
            // Exited can fire before the last stderr lines are read: wait for both streams to reach their end first.
            _process.WaitForExit();
            _listening.TrySetException(new DemoException($"{Name} exited with code {_process.ExitCode} before it listened{TailSuffix()}"));
        };
        Write($"$ {command.Display(args)}");
        _process.Start();
        Id = _process.Id;
        Write($"pid {Id}");
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int Id { get; }

    public string LogPath { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="command"/> with <paramref name="args"/>; stdout lines also go to <paramref name="echo"/>.</summary>
    public static ChildProcess Start(string name, MmuptCommand command, IReadOnlyList<string> args, string logPath, Action<string>? echo = null) =>
        new(name, command, args, logPath, echo);

    /// <summary>The address the child printed; <see cref="DemoException"/> if it exits first or stays silent past the timeout.</summary>
    public async Task<Uri> ListeningAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await _listening.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new DemoException($"{Name} did not print its address within {timeout.TotalSeconds:F0} s{TailSuffix()}");
        }
    }

    /// <summary>Waits for the exit and returns the exit code; on cancellation the child is stopped first.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        try
        {
            await _process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await StopAsync(grace);
            throw;
        }
        await _process.WaitForExitAsync(CancellationToken.None);   // drains the redirected streams into the log
        Write($"exited with code {_process.ExitCode} after {_watch.Elapsed.TotalSeconds:F1} s");
        return _process.ExitCode;
    }

    /// <summary>SIGTERM, then a kill of the whole tree if it has not exited after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited) return;
        Write("stopping: SIGTERM");
        _ = Kill(Id, SigTerm);
        try
        {
            await _process.WaitForExitAsync().WaitAsync(grace);
        }
        catch (TimeoutException)
        {
            Write($"still running {grace.TotalSeconds:F0} s after SIGTERM: killing the process tree");
            KillNow();
            await _process.WaitForExitAsync();
        }
        Write($"exited with code {_process.ExitCode} after {_watch.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>Kills the process tree without waiting (last resort when the demo itself is exiting).</summary>
    public void KillNow()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>The last stderr lines as <c>: a | b</c>, plus where the log is; empty lines are skipped.</summary>
    public string TailSuffix()
    {
        lock (_stderrTail)
        {
            var tail = _stderrTail.Count == 0 ? "" : $": {string.Join(" | ", _stderrTail)}";
            return $"{tail} (log: {LogPath})";
        }
    }

    public async ValueTask DisposeAsync()
    {
        KillNow();
        await _process.WaitForExitAsync();
        lock (_log)
        {
            _closed = true;
            _log.Dispose();
        }
        _process.Dispose();
    }

    private void OnLine(string? line, bool stderr)
    {
        if (line is null) return;
        Write(line);
        if (stderr)
        {
            if (line.Trim().Length == 0) return;
            lock (_stderrTail)
            {
                _stderrTail.Enqueue(line.Trim());
                if (_stderrTail.Count > TailLines) _stderrTail.Dequeue();
            }
            return;
        }
        _echo?.Invoke(line);
        if (ListeningLine().Match(line) is { Success: true } m) _listening.TrySetResult(new Uri(m.Groups[1].Value));
    }

    private void Write(string line)
    {
        lock (_log)
        {
            if (!_closed) _log.WriteLine(line);
        }
    }

    [GeneratedRegex(@"^mmupt \S+ listening on (http://\S+)")]
    private static partial Regex ListeningLine();

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
