using System.Runtime.InteropServices;
using System.Threading.Channels;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using MmUpt.Contracts.V1;
using MmUpt.Learner.Checkpoints;
using MmUpt.Learner.Session;
using MmUpt.Learner.Sources;
using MmUpt.Learner.Training;

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
    private readonly LearnerSession _session;
    private readonly GrpoTrainer _trainer;
    private readonly List<PreparedGroup> _pending = [];
    private readonly HashSet<(string, uint)> _seen = [];
    private long _savedStep = -1;

    public LearnerStatusBoard Status { get; } = new();

    public LearnerRun(LearnerOptions options, IScoredGroupSource source, ILogger<LearnerRun> logger)
    {
        _options = options;
        _source = source;
        _logger = logger;
        _session = new LearnerSession(options, logger);
        if (_session.ResumedFrom is not null) _savedStep = _session.State.Step;
        _trainer = new GrpoTrainer(_session.Policy, _session.Reference, options.Trainer);
        foreach (var g in _session.RestoredPending) Accept(g);
        Status.Update(s =>
        {
            s.Step = (ulong)_session.State.Step;
            s.WeightsVersion = _session.State.WeightsVersion;
            s.PendingGroups = (uint)_pending.Count;
            s.LastCheckpoint = _session.ResumedFrom ?? "";
        });
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
        if (_savedStep != _session.State.Step || _pending.Count > 0) Save();
        SaveFinal();
        reading.Wait(TimeSpan.FromSeconds(5));
    }

    private void Accept(ScoredGroup group)
    {
        if (!_seen.Add((group.GroupId, group.Attempt))) return; // a redelivery of a group already pending or trained
        try
        {
            _pending.Add(_session.Reader.Read(group));
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
            metrics = GcPause.Run(() => _trainer.Step(batch));
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or ExternalException)
        {
            _session.Policy.DiscardGradients();
            var ids = string.Join(", ", batch.Select(g => g.GroupId));
            LearnerLog.StepFailed(_logger, _session.State.Step + 1, ids, ex.Message);
            Status.Update(s => s.LastError = $"step {_session.State.Step + 1} on groups {ids}: {ex.Message}");
            Acknowledge(batch.Select(g => g.Key).ToList());
            return;
        }
        _session.State.Step++;
        LearnerLog.StepDone(_logger, _session.State.Step, metrics.ToString());
        _session.Metrics.Write(_session.State.Step, metrics);
        Status.StepDone(_session.State.Step, metrics, _pending.Count);
        Acknowledge(batch.Select(g => g.Key).ToList());
        if (_session.State.Step % _options.CheckpointEvery == 0) Save();
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
        var folder = _session.SaveCheckpoint(_pending.Select(g => g.Source));
        _savedStep = _session.State.Step;
        Status.Update(s => s.LastCheckpoint = folder);
    }

    /// <summary>WORK/final: the current weights as a plain HF folder.</summary>
    private void SaveFinal() => _session.SaveFinal(Path.Combine(_options.Work!, "final"));

    public void Dispose() => _session.Dispose();
}
