using System.Text.Json;
using Microsoft.Extensions.Logging;
using MmUpt.Contracts.V1;
using MmUpt.Training.Collect;
using MmUpt.Training.Dispatch;
using MmUpt.Training.Guard;
using MmUpt.Training.Loop;

namespace MmUpt.Learner.Loop;

/// <summary>
/// One <c>mmupt train</c> run: discovers and syncs the replicas, subscribes to the voting service, runs the recipe's
/// stages in order, and appends every step's record to <c>OUT/steps.jsonl</c> (the report reads it). A guard trigger
/// ends the run after its stage.
/// </summary>
public sealed class TrainRun(TrainOptions options, CollapseGuardOptions guard, IStepTrainer trainer, IWeightPublisher publisher,
    Func<StageOptions, IPromptSource> prompts, LoopStatus status, ILogger logger)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public string StepsFile => Path.Combine(options.Out, "steps.jsonl");

    public async Task<GuardDecision?> RunAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.Out);
        var replicas = new ReplicaSet(options.Replicas, GrpcFaults.IsReplicaFault, GrpcFaults.IsBehind);
        replicas.Event += line => LoopLog.Replica(logger, line);
        using var channels = new RolloutChannels();
        var sync = new ReplicaSync(replicas, channels, options.Replicas.CallDeadline);
        var staleness = new StalenessPolicy(options.Mode, options.MaxStaleness);
        var collector = new GroupCollector(staleness, () => sync.Version, line => LoopLog.Replica(logger, line));
        var discovery = new ReplicaDiscovery(replicas, options.Replicas);
        await discovery.RefreshAsync(cancellationToken);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var feed = new VotingFeed(options.Voting, collector.Offer, line => LoopLog.Replica(logger, line));
        var background = Task.WhenAll(feed.RunAsync(stop.Token), discovery.RunAsync(stop.Token));
        await using var steps = new StreamWriter(StepsFile, append: true);
        var ctx = new LoopContext(options, guard, $"r{DateTime.UtcNow:HHmmss}", null!, trainer, publisher, replicas,
            new GroupDispatcher<GenerateResponse>(replicas, options.Replicas, async ct => await sync.SyncAsync(ct)), sync, channels, collector, staleness, status,
            record =>
            {
                LoopLog.Step(logger, record.ToLine());
                steps.WriteLine(JsonSerializer.Serialize(record, Json));
                steps.Flush();
            }, logger);
        try
        {
            long step = 1;
            for (var i = 0; i < options.Stages.Count; i++)
            {
                var stage = options.Stages[i];
                var name = $"{i}-{stage.Kind.ToString().ToLowerInvariant()}";
                if (stage.Kind != StageKind.Upt)
                    throw new NotSupportedException($"Train:Stages:{i}:Kind: {stage.Kind} stages run in `mmupt demo` (in-process SFT and `mmupt eval`), not yet in `mmupt train`");
                var (last, trigger) = await new UptStage(ctx with { Prompts = prompts(stage) }, name, stage.Steps).RunAsync(step, stop.Token);
                step = last + 1;
                if (trigger is not null) return trigger;
            }
            return null;
        }
        finally
        {
            status.Enter(LearnerPhase.Done);
            await stop.CancelAsync();
            await background;
        }
    }
}
