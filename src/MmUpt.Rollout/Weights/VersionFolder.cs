using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using MmUpt.Contracts.V1;

namespace MmUpt.Rollout.Weights;

/// <summary>
/// A weights version on a file system, checked before anything loads it: <c>manifest.json</c> (the
/// <see cref="WeightsManifest"/> message in proto3 JSON) names the version and, per file, its size and SHA-256; the files
/// must be exactly the served folder's <c>*.onnx.data</c> files, each the same size as there (same architecture, same
/// layout) and matching the manifest byte for byte. Failures are DATA_LOSS (a file differs from its manifest: corrupt or
/// truncated), INVALID_ARGUMENT (the manifest does not match the request or the served model, or the source is no
/// folder) or NOT_FOUND (a folder without the version).
/// </summary>
public static class VersionFolder
{
    public const string ManifestFileName = "manifest.json";

    /// <summary>The folder of <paramref name="version"/> under <paramref name="source"/> (a store holding v{N}/, or the version folder).</summary>
    public static string Resolve(string source, ulong version)
    {
        var path = source.StartsWith("file://", StringComparison.Ordinal) ? new Uri(source).LocalPath : source;
        if (!Directory.Exists(path))
        {
            throw Fail(StatusCode.InvalidArgument, $"source: '{source}' is neither a WeightsService address (http:// or https://) nor an existing folder");
        }
        var nested = Path.Combine(path, $"v{version}");
        if (File.Exists(Path.Combine(nested, ManifestFileName)))
        {
            return nested;
        }
        if (File.Exists(Path.Combine(path, ManifestFileName)))
        {
            return path;
        }
        throw Fail(StatusCode.NotFound, $"source: no {ManifestFileName} in {path} or {nested}");
    }

    /// <summary>
    /// Checks the version against its manifest, the request and the served model. With <paramref name="hashFiles"/> false
    /// the data files' SHA-256 sums are left to the caller, who checks them while it reads the files anyway
    /// (<see cref="ModelGraphs.Overwrite"/>).
    /// </summary>
    public static WeightsManifest Verify(string folder, SyncWeightsRequest request, IReadOnlyDictionary<string, long> expectedFiles,
        bool hashFiles = true)
    {
        var manifestPath = Path.Combine(folder, ManifestFileName);
        WeightsManifest manifest;
        try
        {
            manifest = new JsonParser(JsonParser.Settings.Default).Parse<WeightsManifest>(File.ReadAllText(manifestPath));
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw Fail(StatusCode.DataLoss, $"{manifestPath}: not a weights manifest: {ex.Message}");
        }
        if (manifest.Version != request.Version)
        {
            throw Fail(StatusCode.InvalidArgument, $"{manifestPath}: version {manifest.Version}, but version {request.Version} was asked for");
        }
        if (request.Sha256.Length > 0 && Sha256(manifestPath) != request.Sha256.ToLowerInvariant())
        {
            throw Fail(StatusCode.DataLoss, $"{manifestPath}: SHA-256 differs from the request's sha256");
        }
        var names = manifest.Files.Select(f => f.Name).ToHashSet();
        if (!names.SetEquals(expectedFiles.Keys))
        {
            throw Fail(StatusCode.InvalidArgument, $"{manifestPath}: files [{string.Join(", ", names.Order())}] differ from the served model's " +
                                                   $"[{string.Join(", ", expectedFiles.Keys.Order())}]");
        }
        var total = manifest.Files.Sum(f => (long)f.SizeBytes);
        if (request.SizeBytes != 0 && (ulong)total != request.SizeBytes)
        {
            throw Fail(StatusCode.InvalidArgument, $"{manifestPath}: {total} bytes in all, but size_bytes is {request.SizeBytes}");
        }
        foreach (var file in manifest.Files)
        {
            var path = Path.Combine(folder, file.Name);
            if ((long)file.SizeBytes != expectedFiles[file.Name])
            {
                throw Fail(StatusCode.InvalidArgument, $"{path}: the manifest says {file.SizeBytes} bytes; the served model's is {expectedFiles[file.Name]}");
            }
            if (!File.Exists(path))
            {
                throw Fail(StatusCode.DataLoss, $"{path}: missing");
            }
            var length = new FileInfo(path).Length;
            if (length != (long)file.SizeBytes)
            {
                throw Fail(StatusCode.DataLoss, $"{path}: {length} bytes, the manifest says {file.SizeBytes} (truncated or partial)");
            }
            if (hashFiles && Sha256(path) != file.Sha256)
            {
                throw Fail(StatusCode.DataLoss, $"{path}: SHA-256 differs from the manifest (corrupt)");
            }
        }
        return manifest;
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    internal static RpcException Fail(StatusCode code, string message) => new(new Status(code, message));
}
