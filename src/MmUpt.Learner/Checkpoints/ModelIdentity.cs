using System.Security.Cryptography;

namespace MmUpt.Learner.Checkpoints;

/// <summary>
/// An identity for an HF checkpoint folder: its full path and the SHA-256 of config.json plus the names, sizes and
/// first 64 KB of each *.safetensors file (their headers hold every tensor's name, dtype, shape and offsets), so a
/// changed folder is noticed without hashing gigabytes.
/// </summary>
public static class ModelIdentity
{
    public static string Of(string folder)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(File.ReadAllBytes(Path.Combine(folder, "config.json")));
        var buffer = new byte[64 * 1024];
        foreach (var file in Directory.GetFiles(folder, "*.safetensors").Order(StringComparer.Ordinal))
        {
            using var f = File.OpenRead(file);
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"{Path.GetFileName(file)}:{f.Length}"));
            sha.AppendData(buffer, 0, f.Read(buffer));
        }
        return $"{Path.GetFullPath(folder)}@sha256:{Convert.ToHexStringLower(sha.GetHashAndReset())[..16]}";
    }
}
