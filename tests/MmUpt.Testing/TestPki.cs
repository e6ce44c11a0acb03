using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MmUpt.Testing;

/// <summary>
/// A throwaway private CA and certificates signed by it, written as PEM files into a temp folder (never committed):
/// one for the servers (SANs localhost and 127.0.0.1), one for clients, each usable for server and client auth as a
/// deployment's single certificate is; and a second, unrelated CA whose certificates nobody should trust.
/// </summary>
public sealed class TestPki : IDisposable
{
    private readonly TempDir _dir = new();

    public TestPki()
    {
        using var ca = Authority("mmupt test CA", out var caKey);
        CaFile = Write("ca.crt", ca.ExportCertificatePem());
        (ServerCertFile, ServerKeyFile) = Leaf("server", ca, caKey);
        (ClientCertFile, ClientKeyFile) = Leaf("client", ca, caKey);
        using var other = Authority("unrelated CA", out var otherKey);
        OtherCaFile = Write("other-ca.crt", other.ExportCertificatePem());
        (StrangerCertFile, StrangerKeyFile) = Leaf("stranger", other, otherKey);
        caKey.Dispose();
        otherKey.Dispose();
    }

    public string Folder => _dir.Path;
    public string CaFile { get; }
    public string ServerCertFile { get; }
    public string ServerKeyFile { get; }
    public string ClientCertFile { get; }
    public string ClientKeyFile { get; }
    public string OtherCaFile { get; }

    /// <summary>A certificate of the unrelated CA, valid in every other respect.</summary>
    public string StrangerCertFile { get; }
    public string StrangerKeyFile { get; }

    private static X509Certificate2 Authority(string name, out ECDsa key)
    {
        key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
    }

    private (string Cert, string Key) Leaf(string name, X509Certificate2 ca, ECDsa caKey)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var serial = RandomNumberGenerator.GetBytes(12);
        var generator = X509SignatureGenerator.CreateForECDsa(caKey);
        using var cert = request.Create(ca.SubjectName, generator, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(7), serial);
        return (Write($"{name}.crt", cert.ExportCertificatePem()), Write($"{name}.key", key.ExportPkcs8PrivateKeyPem()));
    }

    private string Write(string name, string pem)
    {
        var path = _dir.File(name);
        File.WriteAllText(path, pem);
        return path;
    }

    public void Dispose() => _dir.Dispose();
}
