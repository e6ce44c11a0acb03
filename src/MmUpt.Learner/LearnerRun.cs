using System.Runtime.InteropServices;
using System.Threading.Channels;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using MmUpt.Checkpoint;
using MmUpt.Contracts.V1;
using MmUpt.Core.Options;
using MmUpt.Learner.Checkpoints;
using MmUpt.Learner.Sources;
using MmUpt.Learner.Training;
using MmUpt.Model;
using MmUpt.Processing;
using TorchSharp;
using static TorchSharp.torch;

namespace MmUpt.Learner;

/// <summary>
/// The learner process's state and its training loop: policy, reference, trainer, checkpoints, metrics. Built (models
/// loaded, checkpoint restored) before the server starts, so a bad checkpoint fails the start with one line. The loop
/// runs on one dedicated thread (TorchSharp's dispose scopes are thread-local): it gathers GroupsPerStep valid groups,
/// runs a GRPO step, acknowledges the groups, and checkpoints every CheckpointEvery steps and when stopped.
/// </summary>
public sealed class LearnerRun : IDisposable
{
    private readonly LearnerOptions _options;
    private readonly IScoredGroupSource _source;
    private readonly ILogger _logger;
    private readonly Policy _policy;
    private readonly Qwen25VLForConditionalGeneration? _reference;
    private readonly GrpoTrainer _trainer;
    private readonly ScoredGroupReader _reader;
    private readonly CheckpointStore _store;
    private readonly LearnerState _state;
    private readonly List<PreparedGroup> _pending = [];
    private readonly HashSet<(string, uint)> _seen = [];
    private readonly TrainingMetricsWriter _metrics;
    private long _savedStep = -1;

    public LearnerStatusBoard Status { get; } = new();

    public LearnerRun(LearnerOptions options, IScoredGroupSource source, ILogger<LearnerRun> logger)
    {
        _options = options;
        _source = source;
        _logger = logger;
        var folder = options.Checkpoint!;
        if (options.Threads > 0) set_num_threads(options.Threads);
        manual_seed(options.Seed);
        Qwen25VLProcessor processor;
        Qwen25VLForConditionalGeneration master;
        try
        {
            processor = Qwen25VLProcessor.Open(folder);
            var device = ModelOptions.Parse("fp32", options.Device);
            master = Qwen25VLModel.FromPretrained(folder, device);
            if (options.Trainer.Grpo.KlCoef > 0)
            {
                _reference = Qwen25VLModel.FromPretrained(folder, device with { DType = options.Trainer.Precision == "bf16" ? ScalarType.BFloat16 : ScalarType.Float32 });
                foreach (var p in _reference.parameters()) p.requires_grad_(false);
                _reference.eval();
            }
        }
        catch (Exception ex) when (ex is CheckpointFormatException or IOException or ArgumentException)
        {
            throw new OptionsException($"{LearnerOptions.Section}:{nameof(LearnerOptions.Checkpoint)}", ex.Message);
        }
        _policy = new Policy(master, options.Trainer);
        _store = new CheckpointStore(options.Work!, options.KeepCheckpoints);
        var identity = ModelIdentity.Of(folder);
        var latest = _store.Latest();
        List<ScoredGroup> restored = [];
        if (latest is not null && !options.Resume)
            throw new OptionsException($"{LearnerOptions.Section}:{nameof(LearnerOptions.Resume)}",
                $"{options.Work} already has checkpoints ({Path.GetFileName(latest)}); pass --resume to continue, or use another --work");
        if (latest is not null)
        {
            (_state, restored) = CheckpointStore.Load(latest, _policy);
            if (_state.ReferenceModelId != identity)
                throw new OptionsException($"{LearnerOptions.Section}:{nameof(LearnerOptions.Checkpoint)}",
                    $"the run in {options.Work} started from {_state.ReferenceModelId}, not {identity}");
            _savedStep = _state.Step;
            LearnerLog.Resumed(logger, latest, _state.Step, _state.WeightsVersion, restored.Count);
        }
        else
        {
            _state = new LearnerState { ReferenceModelId = identity, Seed = options.Seed };
        }
        _reader = new ScoredGroupReader(processor.Config, processor.ImageProcessor, v => _state.PublishedVersions.Contains(v));
        _trainer = new GrpoTrainer(_policy, _reference, options.Trainer);
        foreach (var g in restored) Accept(g);
        _metrics = new TrainingMetricsWriter(Path.Combine(options.Work!, "tensorboard"));
        Status.Update(s =>
        {
            s.Step = (ulong)_state.Step;
            s.WeightsVersion = _state.WeightsVersion;
            s.PendingGroups = (uint)_pending.Count;
            s.LastCheckpoint = latest ?? "";
        });
        LearnerLog.Loaded(logger, folder, options.Device, options.Trainer.Precision, get_num_threads(), _reference is null ? "none (KlCoef 0)" : identity);
    }

    /// <summary>Runs until <paramref name="stop"/> fires (finishing the step in progress), then writes a checkpoint and the final HF folder.</summary>
    public void Run(CancellationToken stop)
    {
        var inbox = Channel.CreateUnbounded<ScoredGroup>();
        var reading = Task.Run(async () =>
        {
            try
            {
                await foreach (var g in _source.ReadAllAsync(stop)) inbox.Writer.TryWrite(g);
            }
            catch (OperationCanceledException) { }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled) { }
            finally { inbox.Writer.TryComplete(); }
        }, CancellationToken.None);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                Status.Update(s => s.Phase = LearnerPhase.Rollout);
                while (_pending.Count < _options.GroupsPerStep)
                {
                    var g = inbox.Reader.ReadAsync(stop).AsTask().GetAwaiter().GetResult();
                    Accept(g);
                    Status.Update(s => s.PendingGroups = (uint)_pending.Count);
                }
                TrainOneStep();
            }
        }
        catch (OperationCanceledException) { }
        catch (ChannelClosedException) { }
        Status.Update(s => s.Phase = LearnerPhase.Done);
        if (_savedStep != _state.Step || _pending.Count > 0) Save();
        SaveFinal();
        reading.Wait(TimeSpan.FromSeconds(5));
    }

    private void Accept(ScoredGroup group)
    {
        if (!_seen.Add((group.GroupId, group.Attempt))) return; // a redelivery of a group already pending or trained
        try
        {
            _pending.Add(_reader.Read(group));
        }
        catch (InvalidGroupException ex)
        {
            LearnerLog.Rejected(_logger, ex.Message);
            Status.Update(s => { s.RejectedGroups++; s.LastRejection = ex.Message; });
            Acknowledge([new GroupKey { GroupId = group.GroupId, Attempt = group.Attempt }]);
        }
    }

    private void TrainOneStep()
    {
        var batch = _pending.Take(_options.GroupsPerStep).ToList();
        _pending.RemoveRange(0, batch.Count);
        Status.Update(s => s.Phase = LearnerPhase.Train);
        StepMetrics metrics;
        try
        {
            metrics = _trainer.Step(batch);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or ExternalException)
        {
            _policy.DiscardGradients();
            var ids = string.Join(", ", batch.Select(g => g.GroupId));
            LearnerLog.StepFailed(_logger, _state.Step + 1, ids, ex.Message);
            Status.Update(s => s.LastError = $"step {_state.Step + 1} on groups {ids}: {ex.Message}");
            Acknowledge(batch.Select(g => g.Key).ToList());
            return;
        }
        _state.Step++;
        LearnerLog.StepDone(_logger, _state.Step, metrics.ToString());
        _metrics.Write(_state.Step, metrics);
        Status.StepDone(_state.Step, metrics, _pending.Count);
        Acknowledge(batch.Select(g => g.Key).ToList());
        if (_state.Step % _options.CheckpointEvery == 0) Save();
    }

    private void Acknowledge(IReadOnlyList<GroupKey> keys)
    {
        try
        {
            _source.AcknowledgeAsync(keys, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (RpcException ex)
        {
            LearnerLog.AcknowledgeFailed(_logger, keys.Count, ex.Status.Detail);
        }
    }

    private void Save()
    {
        var folder = _store.Save(_policy, _state, _pending.Select(g => g.Source), _options.Checkpoint);
        _savedStep = _state.Step;
        LearnerLog.Checkpointed(_logger, folder);
        Status.Update(s => s.LastCheckpoint = folder);
    }

    /// <summary>WORK/final: the current weights as a plain HF folder (written to a temporary folder, then renamed).</summary>
    private void SaveFinal()
    {
        var final = Path.Combine(_options.Work!, "final");
        var tmp = final + ".tmp-" + Guid.NewGuid().ToString("N");
        Qwen25VLModel.SavePretrained(_policy.Master, tmp, auxiliaryFrom: _options.Checkpoint);
        if (Directory.Exists(final)) Directory.Delete(final, recursive: true);
        Directory.Move(tmp, final);
        LearnerLog.FinalSaved(_logger, final);
    }

    public void Dispose()
    {
        _policy.Dispose();
        _reference?.Dispose();
    }
}
