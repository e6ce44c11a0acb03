using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace MmUpt.Hosting.Security;

/// <summary>
/// This process's credentials, used both when it serves and when it calls other processes. Section <c>Security</c>;
/// flags <c>--token-file</c>, <c>--tls-cert</c>, <c>--tls-key</c>, <c>--tls-ca</c>, <c>--tls-client-ca</c>. Everything
/// off by default (plaintext, no token): fine on loopback, not on a network you do not control.
/// </summary>
public sealed class SecurityOptions : IValidatableObject
{
    public const string Section = "Security";

    /// <summary>
    /// File holding the bearer token (surrounding white space ignored), e.g. a mounted Kubernetes Secret. With a token,
    /// a server refuses every RPC without <c>authorization: Bearer TOKEN</c> (UNAUTHENTICATED) except
    /// <c>grpc.health.v1.Health</c>, and every client of this process sends it. Default none.
    /// </summary>
    public string? TokenFile { get; set; }

    /// <summary>
    /// The token itself, for an environment variable (<c>MMUPT_Security__Token</c> from a Secret); never logged and
    /// printed redacted. Give <see cref="TokenFile"/> or this, not both. Default none.
    /// </summary>
    [JsonConverter(typeof(RedactedConverter))]
    public string? Token { get; set; }

    /// <summary>
    /// PEM certificate (chain) of this process. With <see cref="Key"/>, the gRPC port serves TLS only (addresses
    /// <c>https://</c>); it is also the client certificate shown to servers that require one. Default none: plaintext.
    /// </summary>
    public string? Certificate { get; set; }

    /// <summary>PEM private key of <see cref="Certificate"/> (PKCS#8, PKCS#1 or SEC1). Default none.</summary>
    public string? Key { get; set; }

    /// <summary>
    /// PEM CA certificate(s) that the <c>https://</c> servers this process calls must chain to; default none: the
    /// system's trust store.
    /// </summary>
    public string? Ca { get; set; }

    /// <summary>
    /// PEM CA certificate(s) for mutual TLS: when set, the server requires a client certificate chaining to one of them
    /// (TLS handshakes without one fail). Needs <see cref="Certificate"/>. Default none.
    /// </summary>
    public string? ClientCa { get; set; }

    /// <summary>Whether the gRPC port serves TLS.</summary>
    [JsonIgnore]
    public bool Tls => !string.IsNullOrEmpty(Certificate);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(TokenFile) && !string.IsNullOrEmpty(Token))
            yield return new ValidationResult("give the token as a file (Security:TokenFile) or a value, not both", [nameof(Token)]);
        if (string.IsNullOrEmpty(Certificate) != string.IsNullOrEmpty(Key))
            yield return new ValidationResult("a certificate needs its key and a key its certificate (Security:Certificate and Security:Key)",
                [string.IsNullOrEmpty(Key) ? nameof(Key) : nameof(Certificate)]);
        if (!string.IsNullOrEmpty(ClientCa) && !Tls)
            yield return new ValidationResult("mutual TLS needs TLS: give Security:Certificate and Security:Key too", [nameof(ClientCa)]);
        foreach (var (name, path) in new[] { (nameof(TokenFile), TokenFile), (nameof(Certificate), Certificate), (nameof(Key), Key), (nameof(Ca), Ca), (nameof(ClientCa), ClientCa) })
        {
            if (!string.IsNullOrEmpty(path) && !File.Exists(path))
                yield return new ValidationResult($"file not found: {Path.GetFullPath(path)}", [name]);
        }
    }
}
