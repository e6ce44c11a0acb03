namespace MmUpt.Cli.Demo;

/// <summary>
/// Owns every child process of a demo run and guarantees none outlives it: children are stopped when a caller stops
/// them, when the supervisor is disposed (after success, failure or cancellation), and — should the demo exit some
/// other way — from a process-exit hook that kills what is left. .NET runs that hook on a normal exit, not on SIGTERM
/// (the default action ends the process at once): a command that owns a supervisor turns SIGINT and SIGTERM into a
/// cancellation (<see cref="DemoSignals"/>), so the supervisor is disposed. Each child logs to <c>LOGS/NAME.log</c>.
/// </summary>
public sealed class ProcessSupervisor : IAsyncDisposable
{
    private readonly MmuptCommand _command;
    private readonly string _logs;
    private readonly List<ChildProcess> _children = [];

    public ProcessSupervisor(MmuptCommand command, string logFolder)
    {
        (_command, _logs) = (command, logFolder);
        Directory.CreateDirectory(logFolder);
        AppDomain.CurrentDomain.ProcessExit += KillAll;
    }

    /// <summary>How long a server may take to print its address; default 3 minutes (a loaded 2-core machine).</summary>
    public TimeSpan ListenTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>How long a child has between SIGTERM and a kill; default 20 s (the servers' own shutdown takes up to 10 s).</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Children started and not yet disposed.</summary>
    public IReadOnlyList<ChildProcess> Children
    {
        get
        {
            lock (_children) return [.. _children];
        }
    }

    /// <summary>Starts a server (its arguments should include <c>--port 0</c>) and returns it with the address it printed.</summary>
    /// <param name="command">Another way to start <c>mmupt</c> (e.g. pinned to a core); default the supervisor's.</param>
    public async Task<(ChildProcess Process, Uri Address)> StartServerAsync(string name, IReadOnlyList<string> args, CancellationToken cancellationToken,
        MmuptCommand? command = null)
    {
        var child = Start(name, args, echo: null, command);
        return (child, await child.ListeningAsync(ListenTimeout, cancellationToken));
    }

    /// <summary>
    /// Runs a command to its end; a non-zero exit is a <see cref="DemoException"/> naming the stage, its last stderr
    /// lines and its log. Stdout lines go to <paramref name="echo"/> too when given.
    /// </summary>
    public async Task RunAsync(string name, IReadOnlyList<string> args, Action<string>? echo, CancellationToken cancellationToken,
        MmuptCommand? command = null)
    {
        var child = Start(name, args, echo, command);
        var code = await child.WaitForExitAsync(Grace, cancellationToken);
        await ForgetAsync(child);
        if (code != 0) throw new DemoException($"{name} failed with exit code {code}{child.TailSuffix()}");
    }

    /// <summary>Stops the given children (SIGTERM, then kill after <see cref="Grace"/>), all at once.</summary>
    public async Task StopAsync(IEnumerable<ChildProcess> children)
    {
        var list = children.ToList();
        await Task.WhenAll(list.Select(c => c.StopAsync(Grace)));
        foreach (var c in list) await ForgetAsync(c);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(Children);
        AppDomain.CurrentDomain.ProcessExit -= KillAll;
    }

    private ChildProcess Start(string name, IReadOnlyList<string> args, Action<string>? echo, MmuptCommand? command = null)
    {
        var child = ChildProcess.Start(name, command ?? _command, args, Path.Combine(_logs, name + ".log"), echo);
        lock (_children) _children.Add(child);
        return child;
    }

    private async Task ForgetAsync(ChildProcess child)
    {
        lock (_children) _children.Remove(child);
        await child.DisposeAsync();
    }

    private void KillAll(object? sender, EventArgs e)
    {
        foreach (var c in Children) c.KillNow();
    }
}
