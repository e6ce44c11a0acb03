using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MmUpt.Core.Options;

namespace MmUpt.Hosting.Security;

/// <summary>PEM loading with errors naming the key, and chain checks against a private CA (not the system store).</summary>
public static class Certificates
{
    /// <summary>id-kp-serverAuth and id-kp-clientAuth (RFC 5280 4.2.1.12).</summary>
    public static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1"), ClientAuth = new("1.3.6.1.5.5.7.3.2");

    /// <summary>This process's certificate with its private key, or null without <see cref="SecurityOptions.Certificate"/>.</summary>
    public static X509Certificate2? Identity(SecurityOptions options)
    {
        if (!options.Tls) return null;
        try
        {
            return X509Certificate2.CreateFromPemFile(options.Certificate!, options.Key);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new OptionsException($"{SecurityOptions.Section}:{nameof(SecurityOptions.Certificate)}",
                $"cannot load {options.Certificate} with key {options.Key} as PEM: {ex.Message}");
        }
    }

    /// <summary>The CA certificates of a PEM bundle named by configuration key <paramref name="property"/>; null when unset.</summary>
    public static X509Certificate2Collection? Roots(string? path, string property)
    {
        if (string.IsNullOrEmpty(path)) return null;
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(path);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new OptionsException($"{SecurityOptions.Section}:{property}", $"cannot read {path} as PEM certificates: {ex.Message}");
        }
        return roots.Count > 0 ? roots
            : throw new OptionsException($"{SecurityOptions.Section}:{property}", $"{path} holds no PEM certificate");
    }

    /// <summary>
    /// Whether <paramref name="certificate"/> chains to one of <paramref name="roots"/> only, is in its validity period,
    /// and (when it names usages) may be used for <paramref name="usage"/>. No revocation check: a private CA has no CRL.
    /// </summary>
    public static bool ChainsTo(X509Certificate2 certificate, X509Certificate2Collection roots, Oid usage)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(usage);
        return chain.Build(certificate);
    }
}
