using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MmUpt.Hosting;

/// <summary>
/// A server started by a supervisor (<c>mmupt demo</c>, <c>mmupt bench loop</c>) stops itself, as on SIGTERM, when that
/// supervisor is gone without stopping it — killed with SIGKILL, which it cannot catch. The supervisor sets
/// <see cref="ServerOptions.StopWhenStdinCloses"/> for its children (<see cref="Variable"/>) and holds the write end of
/// their stdin; the kernel closes it whatever way the supervisor ends, so the child reads end-of-file. A process started
/// any other way (a user's shell, a container, systemd) leaves the option off and never reads its stdin.
/// </summary>
public sealed partial class SupervisorWatch(ServerOptions server, IHostApplicationLifetime lifetime, ILogger<SupervisorWatch> logger) : IHostedService
{
    /// <summary>The environment variable (and value) a supervisor sets for the processes it starts.</summary>
    public const string Variable = "MMUPT_Server__StopWhenStdinCloses";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!server.StopWhenStdinCloses) return Task.CompletedTask;
        // A blocking read on a thread of its own (the thread pool's threads are for the server's work).
        new Thread(() =>
        {
            try
            {
                using var stdin = Console.OpenStandardInput();
                var buffer = new byte[64];
                while (stdin.Read(buffer, 0, buffer.Length) > 0)
                {
                    // The supervisor writes nothing; anything read is ignored.
                }
            }
            catch (IOException)
            {
                // A broken stdin is the supervisor gone too.
            }
            if (lifetime.ApplicationStopping.IsCancellationRequested) return;
            SupervisorGone(logger);
            lifetime.StopApplication();
        }) { IsBackground = true, Name = "mmupt supervisor watch" }.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 9102, Level = LogLevel.Warning, Message = "The supervisor that started this process is gone (its stdin pipe closed): stopping")]
    private static partial void SupervisorGone(ILogger logger);
}
