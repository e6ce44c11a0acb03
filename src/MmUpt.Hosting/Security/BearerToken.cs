using System.Security.Cryptography;
using System.Text;
using MmUpt.Core.Options;

namespace MmUpt.Hosting.Security;

/// <summary>
/// The shared secret of a deployment, sent as <c>authorization: Bearer TOKEN</c>. Read once at start; compared in
/// constant time over SHA-256 digests (neither the content nor the length leaks through timing).
/// </summary>
public sealed class BearerToken
{
    public const string Header = "authorization";
    private const string Scheme = "Bearer ";

    private readonly byte[] _digest;

    private BearerToken(string value)
    {
        Value = value;
        _digest = SHA256.HashData(Encoding.UTF8.GetBytes(value));
    }

    /// <summary>The token; only the channel factory puts it on the wire. Never log it.</summary>
    internal string Value { get; }

    /// <summary>The header value a client sends.</summary>
    internal string HeaderValue => Scheme + Value;

    /// <summary>The configured token, or null when none is; an unreadable or empty token file is an error naming the key.</summary>
    public static BearerToken? From(SecurityOptions options)
    {
        if (!string.IsNullOrEmpty(options.Token)) return new BearerToken(options.Token.Trim());
        if (string.IsNullOrEmpty(options.TokenFile)) return null;
        const string key = $"{SecurityOptions.Section}:{nameof(SecurityOptions.TokenFile)}";
        string text;
        try
        {
            text = File.ReadAllText(options.TokenFile).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OptionsException(key, $"cannot read {Path.GetFullPath(options.TokenFile)}: {ex.Message}");
        }
        return text.Length == 0 ? throw new OptionsException(key, $"{Path.GetFullPath(options.TokenFile)} is empty") : new BearerToken(text);
    }

    /// <summary>Whether an <c>authorization</c> header value carries this token.</summary>
    public bool Accepts(string? header)
    {
        if (header is null || !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)) return false;
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(given, _digest);
    }
}
