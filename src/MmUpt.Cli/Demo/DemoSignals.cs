using System.Runtime.InteropServices;

namespace MmUpt.Cli.Demo;

/// <summary>
/// Turns the first SIGINT (Ctrl-C) or SIGTERM into a cancellation, so the demo stops its children in order (SIGTERM,
/// grace, kill) before it exits; a second signal takes the default path, where the supervisor's process-exit hook
/// kills whatever is left.
/// </summary>
public sealed class DemoSignals : IDisposable
{
    private readonly CancellationTokenSource _cts;
    private readonly PosixSignalRegistration[] _registrations;

    public DemoSignals(CancellationToken cancellationToken)
    {
        _cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle)];
    }

    public CancellationToken Token => _cts.Token;

    /// <summary>The signal that cancelled the run, or null.</summary>
    public PosixSignal? Received { get; private set; }

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
        _cts.Dispose();
    }

    private void Handle(PosixSignalContext context)
    {
        if (Received is not null) return;
        context.Cancel = true;
        Received = context.Signal;
        _cts.Cancel();
    }
}
