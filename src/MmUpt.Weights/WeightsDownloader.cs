using System.Diagnostics;
using System.Security.Cryptography;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MmUpt.Contracts.V1;
using MmUpt.Core.Options;
using Polly;
using Polly.Retry;

namespace MmUpt.Weights;

/// <summary>
/// Client of WeightsService: fetches a version's manifest, then each file in chunks into a local <see cref="WeightsStore"/>.
/// A file is written to "{name}.partial" in the version's staging folder and renamed once its size and SHA-256 match the
/// manifest; an interrupted call resumes from the bytes already on disk (also after a restart); a file that fails the
/// check is fetched again from the start (<see cref="WeightsDownloaderOptions.IntegrityRetries"/>) and then reported as a
/// <see cref="WeightsIntegrityException"/> naming the version and file. A version unknown to the server ends the download
/// with the server's NOT_FOUND <see cref="RpcException"/>. One download per version at a time.
/// </summary>
public sealed class WeightsDownloader
{
    private const string PartialSuffix = ".partial";
    private readonly WeightsService.WeightsServiceClient _client;
    private readonly WeightsDownloaderOptions _options;
    private readonly ILogger _logger;

    public WeightsDownloader(WeightsService.WeightsServiceClient client, WeightsDownloaderOptions? options = null, ILogger? logger = null)
    {
        _options = options ?? new WeightsDownloaderOptions();
        OptionsBinder.Validate(_options, "WeightsDownloader");
        _client = client;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The manifest of <paramref name="version"/> (0: the newest), retrying transient failures.</summary>
    public async Task<WeightsManifest> GetManifestAsync(ulong version = 0, CancellationToken cancellationToken = default)
    {
        var manifest = await Transient(version, "manifest.json", cancellationToken).ExecuteAsync(
            async ct => await _client.GetManifestAsync(new GetManifestRequest { Version = version }, cancellationToken: ct),
            cancellationToken);
        foreach (var file in manifest.Files)
        {
            if (WeightsFileName.Problem(file.Name) is { } problem)
            {
                throw new WeightsIntegrityException(manifest.Version, file.Name, $"the manifest's file name {problem}");
            }
        }
        return manifest;
    }

    /// <summary>Version <paramref name="version"/> (0: the newest) into <paramref name="into"/>; a version already there is not fetched again.</summary>
    public async Task<WeightsVersion> DownloadAsync(ulong version, WeightsStore into, CancellationToken cancellationToken = default)
    {
        if (version != 0 && into.TryOpen(version) is { } present)
        {
            return present;
        }
        var manifest = await GetManifestAsync(version, cancellationToken);
        if (into.TryOpen(manifest.Version) is { } already)
        {
            return already;
        }
        var clock = Stopwatch.StartNew();
        var staging = into.Stage(manifest.Version, resume: true);
        foreach (var file in manifest.Files)
        {
            await DownloadFileAsync(manifest.Version, file, Path.Combine(staging, file.Name), cancellationToken);
        }
        var committed = into.Commit(manifest);
        WeightsLog.Downloaded(_logger, committed.Number, manifest.Files.Count, committed.TotalBytes, clock.Elapsed);
        return committed;
    }

    /// <summary>One file of a version to <paramref name="path"/>, verified against <paramref name="file"/>'s size and SHA-256.</summary>
    public async Task DownloadFileAsync(ulong version, WeightsFile file, string path, CancellationToken cancellationToken = default)
    {
        if (File.Exists(path))
        {
            if (new FileInfo(path).Length == (long)file.SizeBytes && FileHash.Sha256Hex(path) == file.Sha256)
            {
                return;
            }
            File.Delete(path);
        }
        var builder = new ResiliencePipelineBuilder();
        if (_options.IntegrityRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<WeightsIntegrityException>(),
                MaxRetryAttempts = _options.IntegrityRetries,
                Delay = TimeSpan.Zero,
                OnRetry = args =>
                {
                    WeightsLog.IntegrityRetry(_logger, args.Outcome.Exception!.Message, args.AttemptNumber + 1);
                    return default;
                },
            });
        }
        var pipeline = builder.AddPipeline(Transient(version, file.Name, cancellationToken, path + PartialSuffix)).Build();
        await pipeline.ExecuteAsync(ct => AttemptAsync(version, file, path, ct), cancellationToken);
    }

    /// <summary>One call: hash what the partial file holds, fetch the rest, check, rename. Integrity failures discard the partial file.</summary>
    private async ValueTask AttemptAsync(ulong version, WeightsFile file, string path, CancellationToken ct)
    {
        var partial = path + PartialSuffix;
        var size = (long)file.SizeBytes;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var output = new FileStream(partial, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 0, FileOptions.Asynchronous);
        await using (output)
        {
            if (output.Length > size)
            {
                output.SetLength(0);
            }
            if (output.Length > 0)
            {
                // What an earlier attempt left (resuming); pooled, not a large-object allocation per file.
                var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 20);
                try
                {
                    int read;
                    while ((read = await output.ReadAsync(buffer, ct)) > 0)
                    {
                        sha.AppendData(buffer, 0, read);
                    }
                }
                finally
                {
                    System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                }
            }
            var offset = output.Length;
            if (offset < size)
            {
                try
                {
                    using var call = _client.Download(new DownloadRequest
                    {
                        Version = version,
                        FileName = file.Name,
                        Offset = (ulong)offset,
                        ChunkSize = (uint)_options.ChunkBytes,
                    }, cancellationToken: ct);
                    await foreach (var chunk in call.ResponseStream.ReadAllAsync(ct))
                    {
                        var problem = chunk.Offset != (ulong)offset ? $"chunk at offset {chunk.Offset}, expected {offset}"
                            : chunk.TotalSize != file.SizeBytes ? $"chunk says the file has {chunk.TotalSize} bytes, manifest says {size}"
                            : chunk.Data.IsEmpty ? $"empty chunk at offset {offset}"
                            : offset + chunk.Data.Length > size ? $"chunk at offset {offset} runs {offset + chunk.Data.Length - size} bytes past the end"
                            : null;
                        if (problem is not null)
                        {
                            throw Discard(partial, new WeightsIntegrityException(version, file.Name, problem));
                        }
                        await output.WriteAsync(chunk.Data.Memory, ct);
                        sha.AppendData(chunk.Data.Span);
                        offset += chunk.Data.Length;
                    }
                }
                catch (RpcException ex) when (ex.StatusCode == StatusCode.DataLoss)
                {
                    throw Discard(partial, new WeightsIntegrityException(version, file.Name, $"the server reports data loss: {ex.Status.Detail}"));
                }
            }
            if (offset != size)
            {
                throw Discard(partial, new WeightsIntegrityException(version, file.Name, $"truncated: the stream ended at byte {offset} of {size}"));
            }
            var hex = FileHash.Hex(sha);
            if (hex != file.Sha256)
            {
                throw Discard(partial, new WeightsIntegrityException(version, file.Name, $"corrupted: SHA-256 {hex}, manifest says {file.Sha256}"));
            }
            output.Flush(flushToDisk: true);
        }
        File.Move(partial, path, overwrite: true);
    }

    private static WeightsIntegrityException Discard(string partial, WeightsIntegrityException error)
    {
        File.Delete(partial);
        return error;
    }

    /// <summary>Retries of calls that failed in transit; with <paramref name="partial"/>, the log says where the retry resumes.</summary>
    private ResiliencePipeline Transient(ulong version, string file, CancellationToken cancellationToken, string? partial = null)
    {
        if (_options.TransientRetries == 0)
        {
            return ResiliencePipeline.Empty;
        }
        return new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<RpcException>(ex => IsTransient(ex, cancellationToken)),
            MaxRetryAttempts = _options.TransientRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = _options.RetryDelay,
            OnRetry = args =>
            {
                var offset = partial is not null && File.Exists(partial) ? new FileInfo(partial).Length : 0;
                var status = args.Outcome.Exception is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : "?";
                WeightsLog.DownloadInterrupted(_logger, version, file, offset, status, args.AttemptNumber + 1);
                return default;
            },
        }).Build();
    }

    private static bool IsTransient(RpcException ex, CancellationToken cancellationToken) => ex.StatusCode switch
    {
        StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unknown or StatusCode.Aborted
            or StatusCode.DeadlineExceeded or StatusCode.ResourceExhausted => true,
        // A stream reset by the peer surfaces as CANCELLED; our own cancellation does not retry.
        StatusCode.Cancelled => !cancellationToken.IsCancellationRequested,
        _ => false,
    };
}
