using System.Security.Cryptography;

namespace MmUpt.Weights;

/// <summary>SHA-256 as the manifests spell it: lower-case hex.</summary>
public static class FileHash
{
    public static string Sha256Hex(string path)
    {
        // Unbuffered reads into one pooled 1 MiB block: a 1 MiB FileStream buffer was a large-object allocation per file.
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1, FileOptions.SequentialScan);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            int read;
            while ((read = file.Read(buffer, 0, 1 << 20)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
        return Hex(hash);
    }

    public static string Hex(IncrementalHash hash) => Convert.ToHexStringLower(hash.GetHashAndReset());
}
