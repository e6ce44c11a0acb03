using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using MmUpt.Contracts.V1;
using MmUpt.Core;
using MmUpt.Hosting.Security;
using MmUpt.Rollout.Engine;

namespace MmUpt.Rollout.Weights;

/// <summary>
/// Loads the served folder as version 0 at start, and each synced version next to the serving one: download it first
/// when the source is a WeightsService address (<see cref="RemoteVersions"/>, into "{staging}/downloads"), verify the
/// version folder (<see cref="VersionFolder"/>), stage its data files next to a copy of the served config
/// (<see cref="ModelGraphs.Stage"/>), build a new ORT GenAI model from the graphs already in memory, then switch new requests to it
/// (<see cref="ModelRegistry.Activate"/>). Requests keep running on the old version meanwhile, and the old model is
/// freed after its last generator. A version that fails any check or does not load is reported and never replaces the
/// serving one. One sync at a time; a version not newer than the active one is FAILED_PRECONDITION (the active version
/// itself is answered as done).
/// </summary>
public sealed class WeightsSync : IDisposable
{
    private readonly RolloutOptions _options;
    private readonly ModelRegistry _models;
    private readonly RolloutStats _stats;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _one = new(1, 1);
    private readonly ModelGraphs? _graphs;
    private readonly string _staging;
    private readonly RemoteVersions _remote;

    /// <summary>The worker's store of downloaded versions, under the staging folder (never taken for a staged version).</summary>
    private const string DownloadsFolder = "downloads";

    public WeightsSync(RolloutOptions options, ModelRegistry models, RolloutStats stats, ChannelFactory channels, ILogger<WeightsSync> logger)
    {
        (_options, _models, _stats, _logger) = (options, models, stats, logger);
        _staging = string.IsNullOrEmpty(options.StagingFolder)
            ? Path.Combine(Path.GetTempPath(), $"mmupt-rollout-{Environment.ProcessId}-{Guid.NewGuid():N}")
            : options.StagingFolder;
        _remote = new RemoteVersions(Path.Combine(_staging, DownloadsFolder), channels, logger);
        if (string.IsNullOrEmpty(options.Model))
        {
            return;
        }
        _graphs = ModelGraphs.Load(options.Model);
        models.Activate(new LoadedVersion(0, OrtGenAiEngine.Load(options.Model, DeviceSpec.Parse(options.Device), threads: options.Threads)));
    }

    public async Task<SyncWeightsResponse> SyncAsync(SyncWeightsRequest request, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(_options.WeightsSource) && !WeightsSource.Same(_options.WeightsSource, request.Source))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied,
                $"source: '{request.Source}' is not the configured weights source (Rollout:WeightsSource = '{_options.WeightsSource}')"));
        }
        if (_graphs is null)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, "no model is loaded: start the worker with --model DIR"));
        }
        if (string.IsNullOrEmpty(request.Source))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "source is required"));
        }
        var remote = RemoteVersions.IsAddress(request.Source);
        await _one.WaitAsync(cancellationToken);
        try
        {
            var active = _models.Active!.Version;
            if (request.Version == active)
            {
                return new SyncWeightsResponse { ActiveVersion = active };
            }
            if (request.Version < active)
            {
                throw new RpcException(new Status(StatusCode.FailedPrecondition, $"version {request.Version} is older than the active version {active}"));
            }
            var clock = Stopwatch.StartNew();
            var folder = remote
                ? await _remote.DownloadAsync(request.Source, request.Version, cancellationToken)
                : VersionFolder.Resolve(request.Source, request.Version);
            await Task.Run(() => VersionFolder.Verify(folder, request, _graphs.DataFiles), cancellationToken);
            var verified = clock.Elapsed;
            var engine = await Task.Run(() => Load(folder, request.Version), cancellationToken);
            _models.Activate(new LoadedVersion(request.Version, engine));
            _stats.Synced(clock.Elapsed);
            var load = clock.Elapsed - verified;
            RolloutLog.VersionActive(_logger, request.Version, load.TotalMilliseconds, string.Join(",", _models.Loaded));
            return new SyncWeightsResponse
            {
                ActiveVersion = request.Version,
                DownloadTime = Duration.FromTimeSpan(verified),
                LoadTime = Duration.FromTimeSpan(load),
            };
        }
        catch (RpcException e) when (e.StatusCode is not StatusCode.Cancelled)
        {
            RolloutLog.VersionRejected(_logger, request.Version, e.Status.Detail);
            _stats.Error($"weights v{request.Version} rejected: {e.Status.Detail}");
            throw;
        }
        finally
        {
            _one.Release();
        }
    }

    private OrtGenAiEngine Load(string folder, ulong version)
    {
        RemoveUnusedStaging();
        var staging = Path.Combine(_staging, $"v{version}");
        try
        {
            _graphs!.Stage(folder, staging);
            return OrtGenAiEngine.Load(staging, DeviceSpec.Parse(_options.Device), _graphs.Apply, _options.Threads);
        }
        catch (Exception e) when (e is not RpcException)
        {
            TryDelete(staging);
            throw new RpcException(new Status(StatusCode.DataLoss, $"{folder}: ORT GenAI could not load the version: {e.Message}"));
        }
    }

    // Staged folders of versions no longer loaded (their models are freed; ORT has read or mapped what it needs).
    private void RemoveUnusedStaging()
    {
        if (!Directory.Exists(_staging))
        {
            return;
        }
        var loaded = _models.Loaded.Select(v => $"v{v}").ToHashSet();
        foreach (var dir in Directory.EnumerateDirectories(_staging, "v*").Where(d => !loaded.Contains(Path.GetFileName(d))))
        {
            TryDelete(dir);
        }
    }

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // Removed at the next sync or with the process's temp folder.
        }
    }

    public void Dispose()
    {
        _graphs?.Dispose();
        if (string.IsNullOrEmpty(_options.StagingFolder))
        {
            TryDelete(_staging);
        }
    }
}
