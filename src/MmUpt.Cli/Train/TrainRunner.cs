using MmUpt.Training.Guard;
using MmUpt.Training.Loop;

namespace MmUpt.Cli.Train;

/// <summary>
/// Starts a validated run. The step loop (<c>MmUpt.Learner.Loop.TrainRun</c>) needs the TorchSharp GRPO trainer and the
/// weights publisher behind its <c>IStepTrainer</c> / <c>IWeightPublisher</c> seams; until those are in this build the
/// command says so and exits 1 rather than pretending to train.
/// </summary>
public static class TrainRunner
{
    public static async Task<int> RunAsync(TrainOptions train, CollapseGuardOptions guard, CancellationToken cancellationToken)
    {
        await Console.Error.WriteLineAsync(
            $"error: this build has no GRPO trainer and weights publisher behind the step loop yet (issue 14: branches learner and weights); " +
            $"the recipe for {train.Stages.Count} stage(s) is valid (--dry-run prints it)");
        await Task.CompletedTask.WaitAsync(cancellationToken);
        _ = guard;
        return CliRunner.Failed;
    }
}
