using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace MmUpt.Hosting.Security;

/// <summary>
/// The gRPC port's TLS, loaded once at build time (a bad file fails the start with one line, before the port is bound):
/// the certificate and key of <see cref="SecurityOptions"/>, and with <see cref="SecurityOptions.ClientCa"/> a required
/// client certificate that must chain to that CA (mutual TLS). TLS 1.2 and 1.3 only (HTTP/2 needs 1.2+).
/// </summary>
internal sealed class TlsEndpoint
{
    private readonly X509Certificate2 _identity;
    private readonly X509Certificate2Collection? _clientRoots;

    private TlsEndpoint(X509Certificate2 identity, X509Certificate2Collection? clientRoots) =>
        (_identity, _clientRoots) = (identity, clientRoots);

    public static TlsEndpoint? From(SecurityOptions options) =>
        Certificates.Identity(options) is { } identity
            ? new TlsEndpoint(identity, Certificates.Roots(options.ClientCa, nameof(SecurityOptions.ClientCa)))
            : null;

    public void Apply(ListenOptions listen) => listen.UseHttps(new HttpsConnectionAdapterOptions
    {
        ServerCertificate = _identity,
        SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        ClientCertificateMode = _clientRoots is null ? ClientCertificateMode.NoCertificate : ClientCertificateMode.RequireCertificate,
        ClientCertificateValidation = (certificate, _, _) => _clientRoots is not null && Certificates.ChainsTo(certificate, _clientRoots, Certificates.ClientAuth),
    });
}
