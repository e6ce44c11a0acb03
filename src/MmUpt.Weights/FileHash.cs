using System.Security.Cryptography;

namespace MmUpt.Weights;

/// <summary>SHA-256 as the manifests spell it: lower-case hex.</summary>
public static class FileHash
{
    public static string Sha256Hex(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 20);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }

    public static string Hex(IncrementalHash hash) => Convert.ToHexStringLower(hash.GetHashAndReset());
}
