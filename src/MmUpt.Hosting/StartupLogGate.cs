namespace MmUpt.Hosting;

/// <summary>
/// Silences the generic host's own log category while the server starts: its "Hosting failed to start" entry carries
/// the full exception, which <see cref="GrpcServerHost.RunAsync"/> already reports as one line.
/// </summary>
internal sealed class StartupLogGate
{
    /// <summary>The category of <c>Microsoft.Extensions.Hosting.Internal.Host</c>, which logs start failures (event 11).</summary>
    public const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    public volatile bool Starting = true;
}
