using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using MmUpt.Contracts.V1;

namespace MmUpt.Weights;

/// <summary>
/// WeightsService over a <see cref="WeightsStore"/>: manifests, and files streamed in chunks from any offset.
/// Errors: NOT_FOUND (version not or no longer published), INVALID_ARGUMENT (file name not in the manifest, offset past
/// the end), DATA_LOSS (the file on disk no longer has its manifest size).
/// </summary>
public sealed class WeightsGrpcService(WeightsStore store, ILogger<WeightsGrpcService> logger) : WeightsService.WeightsServiceBase
{
    /// <summary>Chunk size when the request asks for none.</summary>
    public const int DefaultChunkBytes = 1 << 20;

    /// <summary>Largest chunk: 4 MiB less room for the message's other fields, so a chunk fits gRPC's default 4 MiB limit.</summary>
    public const int MaxChunkBytes = (4 << 20) - 1024;

    public override Task<WeightsManifest> GetManifest(GetManifestRequest request, ServerCallContext context) =>
        Task.FromResult(Open(request.Version).Manifest);

    public override async Task Download(DownloadRequest request, IServerStreamWriter<WeightsChunk> responseStream, ServerCallContext context)
    {
        var version = Open(request.Version);
        var file = version.File(request.FileName) ?? throw new RpcException(new Status(StatusCode.InvalidArgument,
            $"file_name: weights version {version.Number} has no file '{request.FileName}' (files: {string.Join(", ", version.Manifest.Files.Select(f => f.Name))})"));
        if (request.Offset > file.SizeBytes)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"offset: {request.Offset} is beyond the end of '{file.Name}' ({file.SizeBytes} bytes)"));
        }
        var chunkBytes = request.ChunkSize == 0 ? DefaultChunkBytes : (int)Math.Min(request.ChunkSize, MaxChunkBytes);
        WeightsLog.Serving(logger, version.Number, file.Name, request.Offset, context.Peer);
        FileStream stream;
        try
        {
            // FileShare.Delete: pruning may remove the version meanwhile; this open handle keeps reading the same bytes.
            stream = new FileStream(version.PathOf(file), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete,
                bufferSize: 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"version: weights version {version.Number} was pruned"));
        }
        await using (stream)
        {
            if (stream.Length != (long)file.SizeBytes)
            {
                WeightsLog.ServedFileChanged(logger, version.Number, file.Name, stream.Length, file.SizeBytes);
                throw new RpcException(new Status(StatusCode.DataLoss,
                    $"weights version {version.Number} file '{file.Name}' has {stream.Length} bytes on disk, manifest says {file.SizeBytes}"));
            }
            var offset = (long)request.Offset;
            stream.Position = offset;
            var buffer = new byte[(int)Math.Min(chunkBytes, Math.Max(1, (long)file.SizeBytes - offset))];
            while (offset < (long)file.SizeBytes)
            {
                var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, context.CancellationToken);
                if (read == 0)
                {
                    throw new RpcException(new Status(StatusCode.DataLoss,
                        $"weights version {version.Number} file '{file.Name}' ended at byte {offset} of {file.SizeBytes}"));
                }
                await responseStream.WriteAsync(new WeightsChunk
                {
                    Offset = (ulong)offset,
                    Data = ByteString.CopyFrom(buffer, 0, read),
                    TotalSize = file.SizeBytes,
                }, context.CancellationToken);
                offset += read;
            }
        }
    }

    private WeightsVersion Open(ulong version) => store.TryOpen(version) ?? throw new RpcException(new Status(StatusCode.NotFound,
        version == 0
            ? "version: no weights version is published yet"
            : $"version: weights version {version} is not published (kept: {string.Join(", ", store.Versions())})"));
}
