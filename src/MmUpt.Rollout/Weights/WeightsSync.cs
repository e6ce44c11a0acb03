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
/// freed after its last generator — or, with <see cref="RolloutOptions.ReuseModels"/> on the CPU, kept as the spare:
/// the next sync writes its version into the spare's staged data files in place (<see cref="ModelGraphs.Overwrite"/>)
/// once no generator runs on it, and that model serves the new version with no build. A version that fails any check or
/// does not load is reported and never replaces the serving one. One sync at a time; a version not newer than the active
/// one is FAILED_PRECONDITION (the active version itself is answered as done).
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
    private readonly bool _reuse;
    private int _modelsBuilt;

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
        var device = DeviceSpec.Parse(options.Device);
        _reuse = options.ReuseModels && !device.IsCuda && _graphs.WeightsReadInPlace;
        if (options.ReuseModels && !_reuse)
        {
            RolloutLog.NoModelReuse(logger, device.IsCuda ? $"on {device} ONNX Runtime copies the weights to the device"
                : _graphs.WeightsReadInPlaceProblem!);
        }
        if (_graphs.VersionsProblem is { } layout)
        {
            RolloutLog.VersionsRefused(logger, layout);
        }
        models.Activate(new LoadedVersion(0, OrtGenAiEngine.Load(options.Model, device, threads: options.Threads)));
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
        if (_graphs.VersionsProblem is { } layout)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, layout));
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
            // Written into the spare, the data files are hashed as they are copied (one read); a new model verifies them first.
            var intoSpare = _reuse && _models.HasIdleSpare;
            var manifest = await Task.Run(() => VersionFolder.Verify(folder, request, _graphs.DataFiles, hashFiles: !intoSpare), cancellationToken);
            var verified = clock.Elapsed;
            var (loaded, reused) = await Task.Run(() => Load(folder, request, manifest, hashed: !intoSpare), cancellationToken);
            _models.Activate(loaded);
            _stats.Synced(clock.Elapsed);
            var load = clock.Elapsed - verified;
            RolloutLog.VersionActive(_logger, request.Version, load.TotalMilliseconds,
                reused ? "written into the spare model" : "new model", string.Join(",", _models.Loaded));
            return new SyncWeightsResponse
            {
                ActiveVersion = request.Version,
                DownloadTime = Duration.FromTimeSpan(verified),
                LoadTime = Duration.FromTimeSpan(load),
                ReusedModel = reused,
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

    /// <summary>
    /// The version in <paramref name="folder"/> as a model: written into the spare (its files hashed on the way, unless
    /// <paramref name="hashed"/> already), or a new one. A hash that differs is DATA_LOSS; a spare written with it, then
    /// neither version, is freed.
    /// </summary>
    private (LoadedVersion Loaded, bool Reused) Load(string folder, SyncWeightsRequest request, WeightsManifest manifest, bool hashed)
    {
        var version = request.Version;
        var spare = _reuse ? _models.TakeSpare() : null;
        if (spare is null && !hashed)
        {
            // The spare went away since the check (the registry was disposed): verify before building.
            VersionFolder.Verify(folder, request, _graphs!.DataFiles);
        }
        if (spare is not null)
        {
            try
            {
                _graphs!.Overwrite(folder, spare.Folder!, manifest.Files.ToDictionary(f => f.Name, f => f.Sha256));
                return (new LoadedVersion(version, spare.Engine, spare.Folder), true);
            }
            catch (InvalidDataException e)
            {
                spare.Engine.Dispose();
                TryDelete(spare.Folder!);
                throw VersionFolder.Fail(StatusCode.DataLoss, e.Message);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Partly written: the model is neither version; free it and build.
                spare.Engine.Dispose();
                TryDelete(spare.Folder!);
                RolloutLog.ReuseFailed(_logger, version, e.Message);
            }
        }
        RemoveUnusedStaging();
        // A folder per model, not per version: a reused model keeps its folder while its version changes.
        var staging = Path.Combine(_staging, $"model-{Interlocked.Increment(ref _modelsBuilt)}");
        try
        {
            _graphs!.Stage(folder, staging);
            var engine = OrtGenAiEngine.Load(staging, DeviceSpec.Parse(_options.Device), _graphs.Apply, _options.Threads);
            return (new LoadedVersion(version, engine, _reuse ? staging : null), false);
        }
        catch (Exception e) when (e is not RpcException)
        {
            TryDelete(staging);
            throw new RpcException(new Status(StatusCode.DataLoss, $"{folder}: ORT GenAI could not load the version: {e.Message}"));
        }
    }

    // Staged folders no alive model reads (their models are freed; ORT has read or mapped what it needs).
    private void RemoveUnusedStaging()
    {
        if (!Directory.Exists(_staging))
        {
            return;
        }
        var used = _models.Folders.Select(Path.GetFullPath).ToHashSet();
        foreach (var dir in Directory.EnumerateDirectories(_staging, "model-*").Where(d => !used.Contains(Path.GetFullPath(d))))
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
