using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;

namespace MmUpt.Hosting.Security;

/// <summary>
/// The one way this code base opens a gRPC channel to another mmupt process. <c>http://</c> addresses are plaintext;
/// <c>https://</c> ones verify the server against <see cref="SecurityOptions.Ca"/> (or the system store) and show
/// <see cref="SecurityOptions.Certificate"/> when the server asks for a client certificate. With a token every call
/// carries it as call credentials — also over plaintext, where it travels readable: use TLS between machines.
/// </summary>
public sealed class ChannelFactory
{
    /// <summary>Largest message sent or received unless a caller asks for more; the servers' default <see cref="ServerOptions.MaxMessageSizeMiB"/>.</summary>
    public const int DefaultMaxMessageBytes = 64 * 1024 * 1024;

    private readonly BearerToken? _token;
    private readonly X509Certificate2Collection? _roots;
    private readonly X509Certificate2? _identity;

    /// <summary>No token, no client certificate, the system trust store: what every channel was before security.</summary>
    public static ChannelFactory Default { get; } = new(new SecurityOptions());

    /// <summary>Loads the token and certificates once; unreadable files are <see cref="Core.Options.OptionsException"/>s naming the key.</summary>
    public ChannelFactory(SecurityOptions options)
    {
        _token = BearerToken.From(options);
        _roots = Certificates.Roots(options.Ca, nameof(SecurityOptions.Ca));
        _identity = Certificates.Identity(options);
    }

    /// <param name="address">http://HOST:PORT or https://HOST:PORT</param>
    /// <param name="serverName">
    /// The name the server's certificate must carry when it is not the address's host: replicas found by DNS are dialled
    /// by IP, their certificates name the DNS name.
    /// </param>
    public GrpcChannel Create(string address, int maxMessageBytes = DefaultMaxMessageBytes, string? serverName = null) =>
        Create(new Uri(address), maxMessageBytes, serverName);

    public GrpcChannel Create(Uri address, int maxMessageBytes = DefaultMaxMessageBytes, string? serverName = null)
    {
        var tls = address.Scheme == Uri.UriSchemeHttps;
        // What GrpcChannel builds by itself, plus the TLS settings.
        var handler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true };
        if (tls)
        {
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => Trusted(certificate, errors, serverName),
                ClientCertificates = _identity is null ? null : [_identity],
            };
        }
        var options = new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = maxMessageBytes,
            MaxSendMessageSize = maxMessageBytes,
        };
        if (_token is { } token)
        {
            var bearer = CallCredentials.FromInterceptor((_, metadata) =>
            {
                metadata.Add(BearerToken.Header, token.HeaderValue);
                return Task.CompletedTask;
            });
            options.Credentials = ChannelCredentials.Create(tls ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure, bearer);
            options.UnsafeUseInsecureChannelCallCredentials = !tls;
        }
        return GrpcChannel.ForAddress(address, options);
    }

    private bool Trusted(X509Certificate? certificate, SslPolicyErrors errors, string? serverName)
    {
        if (certificate is null) return false;
        using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var named = serverName is null ? !errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) : presented.MatchesHostname(serverName);
        var chained = _roots is null
            ? !errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors)
            : Certificates.ChainsTo(presented, _roots, Certificates.ServerAuth);
        return named && chained;
    }
}
