using MmUpt.Contracts.V1;
using MmUpt.Learner.Loop;
using Spectre.Console;

namespace MmUpt.Cli.Train;

/// <summary>
/// The live progress of <c>mmupt train</c>: polls the status every <see cref="Poll"/> and shows stage, step k/N,
/// groups done/wanted, rollout tokens/s, ETA and the last step's reward, majority ratio and top-answer share. On a
/// terminal the line is pinned to the bottom row (<see cref="PinnedStatusLine"/>, Spectre markup); otherwise a plain line
/// is printed when what it says changed, at most once per <see cref="PlainEvery"/> (the step log adds its own line per
/// step). A failure to read the status or to write is counted and reported once, never thrown: progress must not end a run.
/// </summary>
public sealed class TrainProgress
{
    /// <summary>How often the status is read.</summary>
    public static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    /// <summary>The shortest interval between two plain lines.</summary>
    public static readonly TimeSpan PlainEvery = TimeSpan.FromSeconds(5);

    private readonly Func<LearnerStatus> _status;
    private readonly TextWriter _output;
    private readonly PinnedStatusLine? _pinned;
    private readonly TimeProvider _time;
    private object? _lastKey;
    private long? _lastPrinted;

    /// <param name="pinned">draw on the terminal's bottom row; null: plain lines on <paramref name="output"/></param>
    public TrainProgress(Func<LearnerStatus> status, TextWriter output, PinnedStatusLine? pinned, TimeProvider? time = null)
    {
        (_status, _output, _pinned, _time) = (status, output, pinned, time ?? TimeProvider.System);
    }

    /// <summary>Failed reads or writes so far (each is contained; the first one is reported on the output).</summary>
    public int Failures { get; private set; }

    /// <summary>Plain lines on <paramref name="output"/> (redirected output, tests).</summary>
    public static TrainProgress Plain(Func<LearnerStatus> status, TextWriter output, TimeProvider? time = null) => new(status, output, null, time);

    /// <summary>
    /// For the process's stdout: pinned and live when it is an interactive ANSI terminal (Spectre's detection), plain
    /// lines otherwise.
    /// </summary>
    public static TrainProgress ForConsole(Func<LearnerStatus> status)
    {
        var live = !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Ansi && AnsiConsole.Profile.Capabilities.Interactive;
        return live
            ? new TrainProgress(status, Console.Out, new PinnedStatusLine(Console.Out, () => (Console.WindowHeight, Console.WindowWidth)))
            : Plain(status, Console.Out);
    }

    /// <summary>The step loop's own status (no replicas needed for the line).</summary>
    public static TrainProgress ForConsole(LoopStatus status) => ForConsole(() => LoopStatusView.ToProto(status, []));

    /// <summary>Polls until <paramref name="cancellationToken"/> is cancelled, then clears the pinned line. Never throws.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                Tick();
                await Task.Delay(Poll, _time, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            Contained(() => _pinned?.Release());
        }
    }

    /// <summary>One poll: redraw the pinned line, or print a plain line when it is due.</summary>
    public void Tick() => Contained(() =>
    {
        var status = _status();
        if (_pinned is not null)
        {
            _pinned.Draw(TrainProgressLine.Markup(status));
            return;
        }
        var key = TrainProgressLine.Key(status);
        if (key.Equals(_lastKey) || status.Phase is LearnerPhase.Idle or LearnerPhase.Unspecified) return;
        var now = _time.GetTimestamp();
        if (_lastPrinted is { } last && _time.GetElapsedTime(last, now) < PlainEvery) return;
        _output.WriteLine(TrainProgressLine.Text(status));
        (_lastKey, _lastPrinted) = (key, now);
    });

    private void Contained(Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            if (Failures++ == 0)
            {
                try
                {
                    Console.Error.WriteLine($"warning: progress display: {ex.Message} (the run goes on)");
                }
                catch (IOException)
                {
                }
            }
        }
    }
}
