using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MmUpt.Checkpoint;
using MmUpt.Onnx.Export;
using MmUpt.Onnx.Qwen25VL;
using MmUpt.Onnx.Writing;
using MmUpt.Weights;
using static TorchSharp.torch;

namespace MmUpt.Learner.Publishing;

/// <summary>
/// Publishes the learner's weights as versions of a <see cref="WeightsStore"/>. <see cref="Publish(nn.Module, ulong)"/> copies the
/// parameters to CPU fp32 on the caller's thread — the only time training waits — and returns; the data files are then
/// written (<see cref="Qwen25VLWeightsWriter"/>), hashed and renamed into place in the background, one version at a time
/// in call order. Each pending version holds one fp32 copy of the model until it is written.
/// </summary>
public sealed class WeightsPublisher
{
    private readonly WeightsStore _store;
    private readonly Qwen25VLVersionWriter _writer;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private Task _tail = Task.CompletedTask;

    public WeightsPublisher(WeightsStore store, Qwen25VLConfig architecture, WeightsPublishingOptions options, ILogger? logger = null)
    {
        _store = store;
        _writer = new Qwen25VLVersionWriter(architecture, new Qwen25VLExportOptions
        {
            ExternalData = ExternalDataMode.Always,
            Dtype = Enum.Parse<ExportDtype>(options.Dtype, ignoreCase: true),
            AllPositionLogits = options.AllPositionLogits,
        });
        _logger = logger ?? NullLogger.Instance;
    }

    public WeightsStore Store => _store;

    /// <summary>
    /// Snapshots <paramref name="model"/>'s parameters now and publishes them as the next version of learner step
    /// <paramref name="step"/>. The task completes with the version once it is readable by rollout workers.
    /// </summary>
    public Task<PublishedWeights> Publish(nn.Module model, ulong step)
    {
        var clock = Stopwatch.StartNew();
        var snapshot = new TorchWeightSource(model).Snapshot();
        return Publish(snapshot, step, clock.Elapsed);
    }

    /// <summary>Publishes an already taken snapshot (the caller keeps it, e.g. as a rollback point); <paramref name="copy"/> is what taking it cost.</summary>
    public Task<PublishedWeights> Publish(InMemoryWeights snapshot, ulong step, TimeSpan copy)
    {
        lock (_gate)
        {
            var publish = _tail.ContinueWith(_ => Write(snapshot, step, copy), CancellationToken.None,
                TaskContinuationOptions.LongRunning, TaskScheduler.Default);
            _tail = publish;
            return publish;
        }
    }

    /// <summary>Waits for every version handed to <see cref="Publish(nn.Module, ulong)"/> so far (e.g. before a checkpoint or at shutdown).</summary>
    public Task Flushed()
    {
        lock (_gate)
        {
            return _tail.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private PublishedWeights Write(InMemoryWeights snapshot, ulong step, TimeSpan copy)
    {
        // The writer hashes each file as it writes it: the store does not read the version back.
        var result = _store.Publish(step, folder => _writer.Write(snapshot, folder).ToDictionary(f => f.Name, f => f.Sha256, StringComparer.Ordinal));
        var published = new PublishedWeights(result.Version.Manifest, result.Version.Folder, copy, result.Write, result.Seal);
        PublishingLog.Published(_logger, published.Manifest.Version, step, published.Bytes, copy, result.Write, result.Seal);
        return published;
    }
}
