using Grpc.Core;
using Microsoft.Extensions.Logging;
using MmUpt.Contracts.V1;
using MmUpt.Hosting.Security;
using MmUpt.Weights;

namespace MmUpt.Rollout.Weights;

/// <summary>
/// Versions fetched from a learner's WeightsService (an <c>http://</c> or <c>https://</c> source) into the worker's own
/// <see cref="WeightsStore"/> with <see cref="WeightsDownloader"/>: chunked, resumed after an interruption (also after a
/// restart when <c>Rollout:StagingFolder</c> is kept), size- and SHA-256-checked per file, transient failures retried.
/// The committed version folder then goes through the same <see cref="VersionFolder"/> checks and load as a
/// shared-path version. Errors are the server's status (NOT_FOUND for a version it does not hold, UNAVAILABLE once the
/// retries are spent) or DATA_LOSS for a file that does not match its manifest, each message naming <c>source</c>.
/// </summary>
public sealed class RemoteVersions(string folder, ChannelFactory channels, ILogger logger)
{
    /// <summary>Only the newest download is kept: a loaded version runs from its own staged copy, not from here.</summary>
    private readonly WeightsStore _store = new(folder, keepVersions: 1);

    public static bool IsAddress(string source) =>
        source.StartsWith("http://", StringComparison.Ordinal) || source.StartsWith("https://", StringComparison.Ordinal);

    /// <summary>The local folder of <paramref name="version"/> downloaded from <paramref name="address"/>.</summary>
    public async Task<string> DownloadAsync(string address, ulong version, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"source: '{address}' is not a valid WeightsService address"));
        }
        using var channel = channels.Create(uri);
        var downloader = new WeightsDownloader(new WeightsService.WeightsServiceClient(channel), logger: logger);
        try
        {
            return (await downloader.DownloadAsync(version, _store, cancellationToken)).Folder;
        }
        catch (WeightsIntegrityException e)
        {
            throw new RpcException(new Status(StatusCode.DataLoss, $"source: {address}: {e.Message}"));
        }
        catch (RpcException e) when (e.StatusCode is not StatusCode.Cancelled || !cancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(e.StatusCode, $"source: {address}: {e.Status.Detail}"));
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new RpcException(new Status(StatusCode.DataLoss, $"source: {address}: weights version {version} could not be stored in {_store.Folder}: {e.Message}"));
        }
    }
}
