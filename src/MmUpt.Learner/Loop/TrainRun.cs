using System.Diagnostics;
using Microsoft.Extensions.Logging;
using MmUpt.Contracts.V1;
using MmUpt.Hosting.Security;
using MmUpt.Learner.Publishing;
using MmUpt.Learner.Session;
using MmUpt.Learner.Training;
using MmUpt.Sampling;
using MmUpt.Training.Guard;
using MmUpt.Training.Loop;
using MmUpt.Weights;

namespace MmUpt.Learner.Loop;

/// <summary>
/// One <c>mmupt train</c> run, the learner process driving a whole recipe: it opens the learner (or resumes its newest
/// checkpoint), evaluates the starting weights on the held-out set, runs the stages in order — SFT in-process, UPT over
/// the rollout replicas and the voting service, Eval — checkpointing with the dataset cursor, and ends with a final
/// evaluation, <c>OUT/final</c> (HF folder) and <c>OUT/run.json</c>. A collapse-guard trigger ends the run after its
/// stage (with the rollback, if configured, already published). Cancellation (SIGTERM) checkpoints the last completed
/// step; <c>--resume</c> continues from it, skipping the stages and steps already done.
/// </summary>
public sealed class TrainRun(TrainOptions options, CollapseGuardOptions guard, LearnerOptions learner, WeightsStore store, LoopStatus status, ILogger logger)
{
    private long _savedStep = -1;
    private long _groupsTrained;
    private UptInfrastructure? _upt;
    private EvalRecord? _lastEval;

    /// <summary>How channels to the replicas and the voting service are opened (TLS, token); default plaintext without a token.</summary>
    public ChannelFactory Channels { get; init; } = ChannelFactory.Default;

    /// <summary>The rollout replicas of the run's UPT stages (none before the first one starts).</summary>
    public IReadOnlyList<MmUpt.Training.Dispatch.Replica> Replicas => _upt?.Replicas.Snapshot() ?? [];

    /// <summary>The status as <c>LearnerService.GetStatus</c> and the metrics report it.</summary>
    public LearnerStatus Snapshot() => LoopStatusView.ToProto(status, Replicas);

    public async Task<RunSummary> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var files = new RunFiles(options.Out);
        using var torch = new TorchThread("mmupt-learner");
        var session = await torch.RunAsync(() => new LearnerSession(learner, logger, withReference: options.Has(StageKind.Upt)));
        ulong? rolledBack = null;
        var summary = (Status: "completed", Reason: "");
        try
        {
            _savedStep = session.ResumedFrom is null ? -1 : session.State.Step;
            var source = string.IsNullOrWhiteSpace(options.WeightsSource) ? Path.GetFullPath(store.Folder) : options.WeightsSource;
            var publisher = new SessionPublisher(session, torch,
                new WeightsPublisher(store, session.Processor.Config, new WeightsPublishingOptions { Folder = store.Folder }, logger), source);
            var sampling = new SamplingSettings { Temperature = (float)options.Temperature, TopP = 1f, MaxNewTokens = options.MaxNewTokens, Seed = (ulong)options.Seed };
            var evaluator = options.Eval.Enabled
                ? await PolicyEvaluator.OpenAsync(session, torch, options.Eval, options.Checkpoint, Path.Combine(options.Out, "eval-model"),
                    learner.Device, sampling, cancellationToken)
                : null;
            var devEvaluator = options.Dev.Enabled && options.Has(StageKind.Upt)
                ? await PolicyEvaluator.OpenAsync(session, torch, options.Dev, options.Checkpoint, Path.Combine(options.Out, "dev-model"),
                    learner.Device, sampling, cancellationToken, rolloutOnly: true)
                : null;
            var hooks = new StepHooks(status, record =>
            {
                LoopLog.Step(logger, record.ToLine());
                status.Recorded(record);
                files.Write(record);
                _groupsTrained += record.Votes.Groups;
                if (record.Votes.Groups > 0)
                {
                    var v = record.Votes;
                    session.Metrics.Write(record.Step, new Dictionary<string, double>
                    {
                        ["reward_mean"] = v.RewardMean, ["majority_ratio"] = v.MajorityRatio, ["unanimous_fraction"] = v.UnanimousFraction,
                        ["top_answer_share"] = v.TopAnswerShare, ["answer_entropy"] = v.AnswerEntropy, ["response_length"] = v.ResponseLength,
                        ["time_rollout_s"] = record.Timings.Rollout.TotalSeconds, ["time_vote_s"] = record.Timings.Vote.TotalSeconds,
                        ["time_learn_s"] = record.Timings.Learn.TotalSeconds, ["time_sync_s"] = record.Timings.Sync.TotalSeconds,
                    }, "vote");
                }
            }, EvaluateHook, AfterStepAsync) { DevAsync = Dev };
            var resumed = session.State.Step;
            if (resumed == 0 && evaluator is not null) await Evaluate("start", 0, cancellationToken, force: true);

            long start = 0;
            for (var i = 0; i < options.Stages.Count && summary.Status == "completed"; i++)
            {
                var stage = options.Stages[i];
                var name = $"{i}-{stage.Kind.ToString().ToLowerInvariant()}";
                if (stage.Kind == StageKind.Eval)
                {
                    if (start >= resumed) await Evaluate(name, start, cancellationToken, force: true);
                    continue;
                }
                var end = start + stage.Steps;
                if (end <= resumed)
                {
                    start = end;
                    continue;
                }
                var first = Math.Max(start, resumed) + 1;
                var cursor = session.State.Stage == name ? session.State.DataCursor : null;
                await using var prompts = await DatasetPromptSource.OpenAsync(stage.Data, options.Seed + i, cursor, stage.Kind == StageKind.Sft, cancellationToken);
                if (stage.Kind == StageKind.Sft)
                {
                    await new SftStage(session, torch, prompts, stage, name, options.PromptsPerStep, hooks).RunAsync(first, end, cancellationToken);
                }
                else
                {
                    var upt = _upt ??= await UptInfrastructure.StartAsync(options, Channels, logger, cancellationToken);
                    if (first == start + 1 && options.Stages.Take(i).Any(s => s.Kind == StageKind.Sft)) await torch.RunAsync(session.ResetReference);
                    var trainer = new SessionTrainer(session, torch, new GrpoTrainer(session.Policy, session.Reference, learner.Trainer), logger);
                    var ctx = new LoopContext(options, guard, $"r{DateTime.UtcNow:HHmmss}{i}", prompts, trainer, publisher, upt.Replicas, upt.Dispatcher,
                        upt.Sync, upt.Channels, upt.Collector, upt.Staleness, hooks, logger);
                    session.Policy.LearningRateOverride = stage.LearningRate;
                    var (_, trigger) = await new UptStage(ctx, name, (int)(end - first + 1)).RunAsync(first, cancellationToken);
                    session.Policy.LearningRateOverride = null;
                    if (trigger is not null)
                    {
                        summary = ("guard-stopped", trigger.Reason!);
                        if (guard.Action == GuardAction.Rollback) rolledBack = trigger.LastGoodVersion;
                    }
                }
                start = end;
            }
            if (evaluator is not null) await Evaluate("final", session.State.Step, cancellationToken, force: true);
            await Checkpoint(session.State.Step);
            await torch.RunAsync(() => session.SaveFinal(Path.Combine(options.Out, "final")));
            return Summarize(summary.Status, summary.Reason);

            async Task<double?> Evaluate(string stage, long step, CancellationToken ct, bool force = false)
            {
                if (evaluator is null || (!force && (options.Eval.Every == 0 || step % options.Eval.Every != 0))) return null;
                status.Enter(LearnerPhase.Train, stage);
                // The same step and version as the last measurement are the same weights (e.g. the final evaluation
                // right after a stage's last scheduled one): its record is repeated under this stage's name, not re-measured.
                var record = _lastEval is { } last && last.Step == step && last.WeightsVersion == session.State.WeightsVersion
                    ? last with { Stage = stage }
                    : await evaluator.RunAsync(stage, step, session.State.WeightsVersion, ct);
                _lastEval = record;
                files.Write(record);
                session.Metrics.Write(step, new Dictionary<string, double>
                {
                    ["acc_t02"] = record.Acc02, ["pass1"] = record.Pass1, ["maj_k"] = record.MajK, ["pass_k"] = record.PassK,
                    ["greedy"] = record.Greedy, ["top_answer_share"] = record.TopAnswerShare,
                }, "eval");
                LoopLog.Step(logger, $"[{stage}] eval after step {step} v{record.WeightsVersion}: acc@T0.2 {record.Acc02:F3} pass@1 {record.Pass1:F3} " +
                    $"maj@{record.Samples} {record.MajK:F3} greedy {record.Greedy:F3} top-answer {record.TopAnswerShare:F2} ({record.Seconds:F1}s, {record.Problems} problems)");
                return options.Eval.FeedsGuard ? record.Pass1 : null;
            }

            Task<double?> EvaluateHook(string stage, long step, CancellationToken ct) => Evaluate(stage, step, ct);

            async Task<DevMeasurement?> Dev(string stage, long step, ulong version, bool due, CancellationToken ct)
            {
                if (devEvaluator is null || (!due && (options.Dev.Every == 0 || step % options.Dev.Every != 0))) return null;
                status.Enter(LearnerPhase.Train, stage);
                var record = await devEvaluator.RunAsync(stage, step, version, ct);
                files.WriteDev(record);
                session.Metrics.Write(step, new Dictionary<string, double> { ["pass1"] = record.Pass1, ["maj_k"] = record.MajK }, "dev");
                LoopLog.Step(logger, $"[{stage}] dev after step {step} v{version}: pass@1 {record.Pass1:F3} maj@{record.Samples} {record.MajK:F3} " +
                    $"({record.Seconds:F1}s, {record.Problems} problems) → guard");
                return new DevMeasurement(record.Pass1, version);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Checkpoint(session.State.Step);
            return Summarize("cancelled", $"stopped after step {session.State.Step}; --resume continues from its checkpoint");
        }
        catch (Exception ex)
        {
            files.Write(Summary("failed", ex.Message));
            throw;
        }
        finally
        {
            status.Enter(LearnerPhase.Done);
            if (_upt is not null) await _upt.DisposeAsync();
            await torch.RunAsync(session.Dispose);
        }

        async Task AfterStepAsync(string stage, long step, bool stageEnd, string cursor, CancellationToken ct)
        {
            session.State.Stage = stage;
            session.State.DataCursor = cursor;
            if (step % options.CheckpointInterval == 0 || stageEnd) await Checkpoint(step);
        }

        async Task Checkpoint(long step)
        {
            if (step == _savedStep) return;
            await torch.RunAsync(() => session.SaveCheckpoint([]));
            _savedStep = step;
        }

        RunSummary Summary(string state, string reason) => new(state, reason, session.State.Step, _groupsTrained, session.State.WeightsVersion,
            rolledBack, Path.GetFullPath(Path.Combine(options.Out, "final")), clock.Elapsed.TotalSeconds);

        RunSummary Summarize(string state, string reason)
        {
            var s = Summary(state, reason);
            files.Write(s);
            return s;
        }
    }
}
