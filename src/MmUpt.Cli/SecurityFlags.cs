using System.CommandLine;
using MmUpt.Hosting.Security;

namespace MmUpt.Cli;

/// <summary>
/// The credential flags, spelt the same in every subcommand that serves or calls (<c>rollout</c>, <c>vote</c>,
/// <c>learn</c>, <c>train</c>, <c>status</c>), each setting a key of section <c>Security</c> (also settable as
/// <c>MMUPT_Security__Key</c> variables, e.g. <c>MMUPT_Security__Token</c> from a Kubernetes Secret).
/// </summary>
public static class SecurityFlags
{
    /// <param name="serving">whether the command listens (then <c>--tls-client-ca</c>, mutual TLS, applies)</param>
    public static IReadOnlyList<(Option Option, string Key)> All(bool serving)
    {
        var flags = new List<(Option, string)>
        {
            (new Option<string>("--token-file")
            {
                Description = "Bearer token file: servers refuse RPCs without it (UNAUTHENTICATED; health stays open), clients send it.",
                HelpName = "FILE",
            }, Key(nameof(SecurityOptions.TokenFile))),
            (new Option<string>("--tls-cert")
            {
                Description = serving
                    ? "PEM certificate: serve TLS (https://); also the client certificate for servers that require one."
                    : "PEM client certificate, for servers that require one (mutual TLS).",
                HelpName = "FILE",
            }, Key(nameof(SecurityOptions.Certificate))),
            (new Option<string>("--tls-key") { Description = "PEM private key of --tls-cert.", HelpName = "FILE" }, Key(nameof(SecurityOptions.Key))),
            (new Option<string>("--tls-ca")
            {
                Description = "PEM CA certificate(s) that https:// servers called must chain to (default: the system's trust store).",
                HelpName = "FILE",
            }, Key(nameof(SecurityOptions.Ca))),
        };
        if (serving)
        {
            flags.Add((new Option<string>("--tls-client-ca")
            {
                Description = "Mutual TLS: require client certificates chaining to this PEM CA.",
                HelpName = "FILE",
            }, Key(nameof(SecurityOptions.ClientCa))));
        }
        return flags;
    }

    private static string Key(string property) => $"{SecurityOptions.Section}:{property}";
}
