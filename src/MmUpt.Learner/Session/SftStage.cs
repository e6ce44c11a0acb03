using System.Diagnostics;
using MmUpt.Learner.Loop;
using MmUpt.Learner.Training;
using MmUpt.Training.Collect;
using MmUpt.Training.Loop;

namespace MmUpt.Learner.Session;

/// <summary>
/// An SFT stage of a recipe: per step, the next B labelled records of the stage's dataset (shuffled, epoch after epoch)
/// become samples (<see cref="SftSampleBuilder"/>) and one optimizer step of cross-entropy on their responses runs
/// (<see cref="SftTrainer"/>) at the stage's learning rate. Steps are recorded like UPT steps (no vote metrics) and
/// checkpointed with the dataset cursor.
/// </summary>
public sealed class SftStage(LearnerSession session, TorchThread torch, DatasetPromptSource source, StageOptions stage, string name,
    int batch, StepHooks hooks)
{
    public async Task<long> RunAsync(long first, long last, CancellationToken cancellationToken)
    {
        var builder = new SftSampleBuilder(session.Processor, stage.Target);
        var trainer = new SftTrainer(session.Policy, session.Policy.Options);
        session.Policy.LearningRateOverride = stage.LearningRate;
        try
        {
            for (var k = first; k <= last; k++)
            {
                hooks.Status.Enter(MmUpt.Contracts.V1.LearnerPhase.Train, name, k - 1, last);
                var records = await source.NextRecordsAsync(batch, cancellationToken);
                var samples = records.Select(builder.Build).ToList();
                var learn = Stopwatch.StartNew();
                var metrics = await torch.RunAsync(() => trainer.Step(samples));
                learn.Stop();
                session.State.Step = k;
                session.Metrics.Write(k, metrics);
                var record = new StepRecord(name, k, session.State.WeightsVersion, VoteSummary.Of([]), metrics.Values,
                    new StepTimings(TimeSpan.Zero, TimeSpan.Zero, learn.Elapsed, TimeSpan.Zero, learn.Elapsed), 0, 0, 0, "-");
                hooks.Status.Completed(k, session.State.WeightsVersion, metrics.Values, "-", null);
                hooks.Record(record);
                await hooks.EvaluateAsync(name, k, cancellationToken);
                await hooks.AfterStepAsync(name, k, k == last, source.Cursor, cancellationToken);
            }
            return last;
        }
        finally
        {
            session.Policy.LearningRateOverride = null;
        }
    }
}
