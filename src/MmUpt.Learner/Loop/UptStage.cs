using System.Diagnostics;
using Microsoft.Extensions.Logging;
using MmUpt.Contracts.V1;
using MmUpt.Training.Collect;
using MmUpt.Training.Dispatch;
using MmUpt.Training.Guard;
using MmUpt.Training.Loop;

namespace MmUpt.Learner.Loop;

/// <summary>
/// One UPT stage of the step loop. Per step: B prompts from the cursor, one group each dispatched to the least-loaded
/// ready replica (retried on another one under a new attempt number, hedged if configured), B scored groups collected
/// whole and once, one learner update, a weights version published and synced every SyncInterval steps, the collapse
/// guard fed the step's vote metrics. Sync mode collects step k+1 after step k's sync (every sample of step k from
/// version k when SyncInterval = 1); async mode starts collecting step k+1 before step k learns.
/// </summary>
public sealed class UptStage(LoopContext ctx, string name, int steps)
{
    private readonly TrainOptions _o = ctx.Options;

    /// <summary>Runs the stage from step <paramref name="first"/>; returns the last step done and the guard's trigger, if any.</summary>
    public async Task<(long LastStep, GuardDecision? Trigger)> RunAsync(long first, CancellationToken cancellationToken)
    {
        var last = first + steps - 1;
        using var stage = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var clock = Stopwatch.StartNew();
        // The stage starts by publishing the policy as it is: every replica then serves exactly the learner's weights
        // (whatever it was started with, or synced to by an earlier run), and a resumed run re-syncs its replicas.
        ctx.Publisher.ReserveAbove(await ctx.Sync.HighestActiveAsync(stage.Token));
        await PublishAsync(() => ctx.Publisher.PublishAsync(first - 1, stage.Token), stage.Token);
        var startDev = await ctx.Hooks.DevAsync(name, first - 1, ctx.Sync.Version, true, stage.Token);
        var guard = new CollapseGuard(ctx.GuardOptions, ctx.Sync.Version, startDev);
        var lap = clock.Elapsed;
        var next = CollectAsync(first, stage.Token);
        try
        {
            for (var k = first; k <= last; k++)
            {
                ctx.Status.Enter(LearnerPhase.Rollout, name, k - 1, last);
                var batch = await next;
                if (_o.Mode == LoopMode.Async && k < last) next = CollectAsync(k + 1, stage.Token);

                ctx.Status.Enter(LearnerPhase.Train);
                var learn = Stopwatch.StartNew();
                var metrics = await ctx.Trainer.TrainAsync(batch.Groups, k, stage.Token);
                learn.Stop();

                var sync = Stopwatch.StartNew();
                // Async mode does not wait for the replicas to load a version: they keep serving the one they have (a
                // request's min_weights_version bounds the staleness) and switch when it is loaded; the next publish,
                // a rollback and the stage's end wait for it. Sync mode waits: step k + 1 samples from version k only.
                var background = _o.Mode == LoopMode.Async && k < last;
                var publishes = k % _o.SyncInterval == 0 || k == last;
                if (publishes) await PublishAsync(() => ctx.Publisher.PublishAsync(k, stage.Token), stage.Token, background);
                sync.Stop();

                // The guard's dev set measures published versions only (a rollback target must exist), always the last.
                var dev = publishes ? await ctx.Hooks.DevAsync(name, k, ctx.Sync.Version, k == last, stage.Token) : null;
                if (await ctx.Hooks.EvaluateAsync(name, k, stage.Token) is { } heldOut) dev ??= new DevMeasurement(heldOut, ctx.Sync.Version);
                var votes = VoteSummary.Of([.. batch.Groups.Select(ToVote)]);
                // The step's votes describe the weights that sampled them: that version is what the guard judges.
                var decision = guard.Observe(new StepSignals(k, batch.SampleVersion, votes.TopAnswerShare, votes.MajorityRatio, votes.AnswerEntropy,
                    dev?.Accuracy, dev?.Version));
                ctx.Publisher.KeepOnly(guard.MayRollBackTo);
                var guardText = decision.Triggered ? $"TRIGGERED ({decision.Reason})" : $"ok (last good v{decision.LastGoodVersion})";
                var ledger = ctx.Collector.Ledger;
                var record = new StepRecord(name, k, ctx.Sync.Version, votes, metrics,
                    new StepTimings(batch.Rollout, batch.Vote, learn.Elapsed, sync.Elapsed, batch.Rollout + batch.Vote + learn.Elapsed + sync.Elapsed),
                    ledger.ExtraAttempts, ledger.Duplicates, ledger.Stale, guardText) { Wall = clock.Elapsed - lap };
                lap = clock.Elapsed;
                var eta = TimeSpan.FromTicks(clock.Elapsed.Ticks / (k - first + 1) * (last - k));
                ctx.Status.Completed(k, ctx.Sync.Version, metrics, guardText, eta);
                ctx.Hooks.Record(record);

                if (decision.Triggered)
                {
                    var action = ctx.GuardOptions.Action == GuardAction.Rollback
                        ? $"rolling back to v{decision.LastGoodVersion} (step {decision.LastGoodStep}) and stopping the stage"
                        : "stopping the stage";
                    LoopLog.GuardTriggered(ctx.Logger, decision.Reason!, action);
                    if (ctx.GuardOptions.Action == GuardAction.Rollback && decision.LastGoodVersion != ctx.Sync.Version)
                        await PublishAsync(() => ctx.Publisher.RestoreAsync(decision.LastGoodVersion, k, stage.Token), stage.Token);
                    ctx.Status.SetGuard($"stopped at step {k}: {decision.Reason}; {action}");
                    await ctx.Hooks.AfterStepAsync(name, k, true, batch.Cursor, stage.Token);
                    return (k, decision);
                }
                await ctx.Hooks.AfterStepAsync(name, k, k == last, batch.Cursor, stage.Token);
                if (_o.Mode == LoopMode.Sync && k < last) next = CollectAsync(k + 1, stage.Token);
            }
            return (last, null);
        }
        finally
        {
            await stage.CancelAsync();
            try { await next; } catch (OperationCanceledException) { }
            try { await _loading; } catch (OperationCanceledException) { }
        }
    }

    /// <summary>Replicas loading the last version in the background (async mode); completed otherwise.</summary>
    private Task _loading = Task.CompletedTask;

    /// <param name="background">Announce and start the replicas' sync without waiting for it (one sync pass at a time).</param>
    private async Task PublishAsync(Func<Task<SyncWeightsRequest>> publish, CancellationToken cancellationToken, bool background = false)
    {
        ctx.Status.Enter(LearnerPhase.Publish);
        await _loading;
        ctx.Sync.Announce(await publish());
        _loading = ctx.Sync.SyncAsync(cancellationToken);
        if (!background)
        {
            await _loading;
        }
    }

    private async Task<StepBatch> CollectAsync(long step, CancellationToken cancellationToken)
    {
        var prompts = await ctx.Prompts.NextAsync(_o.PromptsPerStep, cancellationToken);
        var cursor = ctx.Prompts.Cursor;
        var ids = prompts.Select((_, i) => $"{ctx.RunId}-s{step}-g{i}").ToList();
        ctx.Collector.Open(step, ids);
        var minVersion = ctx.Staleness.DispatchMinVersion(ctx.Sync.Version);
        var watch = Stopwatch.StartNew();
        var rolloutDone = TimeSpan.Zero;
        var done = 0;
        await Task.WhenAll(ids.Select(async (id, i) =>
        {
            var generated = await RunGroupAsync(id, prompts[i], minVersion, cancellationToken);
            lock (ids)
            {
                rolloutDone = TimeSpan.FromTicks(Math.Max(rolloutDone.Ticks, generated.Ticks));
                ctx.Status.Progress(++done, ids.Count);
            }
        }));
        var groups = ctx.Collector.Ledger.Take(step);
        if (groups.Count != ids.Count)
            throw new InvalidOperationException($"step {step}: {groups.Count} groups collected, {ids.Count} issued");
        var total = watch.Elapsed;
        return new StepBatch(step, groups, rolloutDone, total - rolloutDone, groups.Sum(g => g.Samples.Sum(s => (long)(s.Sample?.ResponseTokenIds.Count ?? 0))), cursor);

        // Dispatches one group until an attempt of it is accepted; returns when its last rollout answered (from step start).
        async Task<TimeSpan> RunGroupAsync(string issued, Prompt prompt, ulong min, CancellationToken ct)
        {
            var id = issued;
            for (var reissues = 1; ; )
            {
                try
                {
                    var current = id;
                    await ctx.Dispatcher.RunAsync(current, min, () => ctx.Collector.Ledger.NextAttempt(current),
                        (replica, attempt, t) => GenerateAsync(replica, current, attempt, prompt, min, t), ct);
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    LoopLog.GroupFailed(ctx.Logger, id, ex.Message);
                    await Task.Delay(_o.Replicas.RetryDelay, ct);
                }
                var generated = watch.Elapsed;
                var verdict = await ctx.Collector.WaitAsync(id, _o.Replicas.CallDeadline, ct);
                if (verdict == OfferVerdict.Accepted) return generated;
                if (verdict is null) LoopLog.GroupNotScored(ctx.Logger, id, _o.Replicas.CallDeadline.TotalSeconds);
                if (verdict == OfferVerdict.Stale)
                {
                    // The voting service scored this id from samples too old to train on; it never scores an id twice.
                    var next = $"{issued}-r{reissues++}";
                    ctx.Collector.Reissue(id, next);
                    id = next;
                }
                min = ctx.Staleness.DispatchMinVersion(ctx.Sync.Version);
            }
        }
    }

    private async Task<GenerateResponse> GenerateAsync(Replica replica, string groupId, uint attempt, Prompt prompt, ulong minVersion, CancellationToken ct)
    {
        var request = new GenerateRequest
        {
            RequestId = $"{groupId}#{attempt}",
            GroupId = groupId,
            Attempt = attempt,
            Prompt = prompt,
            GroupSize = (uint)_o.GroupSize,
            Sampling = new SamplingParams { Temperature = (float)_o.Temperature, MaxNewTokens = _o.MaxNewTokens, TopP = 1f },
            MinWeightsVersion = minVersion,
            VotingAddress = _o.Voting,
        };
        var response = await ctx.Channels.For(replica.Address).GenerateAsync(request, deadline: DateTime.UtcNow + _o.Replicas.CallDeadline, cancellationToken: ct);
        ctx.Status.Generated((long)response.GeneratedTokens);
        return response;
    }

    private static GroupVote ToVote(ScoredGroup g)
    {
        var trained = g.Samples.Where(s => s.Trained).ToList();
        var m = g.Metrics ?? new VoteMetrics();
        return new GroupVote(m.MajorityKey, m.MajorityRatio, m.AnswerEntropy, m.Unanimous,
            trained.Count == 0 ? 0 : trained.Average(s => s.Reward),
            trained.Count == 0 ? 0 : trained.Average(s => s.Sample?.ResponseTokenIds.Count ?? 0),
            m.HasMajorityCorrect ? m.MajorityCorrect : null);
    }
}
