using MmUpt.Training.Guard;
using MmUpt.Training.Loop;

namespace MmUpt.Learner.Loop;

/// <summary>
/// What every stage calls around its steps, supplied by the run: the status it reports, the step record sink
/// (<c>steps.jsonl</c> and the log), the held-out evaluation (returns the accuracy when one was due at this step and it
/// feeds the guard, else null), the guard's dev measurement of a published version (stage, step, version, due even off
/// the Every schedule; null when no dev set is configured or none was due), and the after-step work (checkpoint every
/// CheckpointInterval steps and at a stage's end, with the dataset cursor just after the step's prompts).
/// </summary>
public sealed record StepHooks(
    LoopStatus Status,
    Action<StepRecord> Record,
    Func<string, long, CancellationToken, Task<double?>> EvaluateAsync,
    Func<string, long, bool, string, CancellationToken, Task> AfterStepAsync)
{
    public Func<string, long, ulong, bool, CancellationToken, Task<DevMeasurement?>> DevAsync { get; init; } =
        (_, _, _, _, _) => Task.FromResult<DevMeasurement?>(null);
}
