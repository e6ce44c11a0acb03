using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using MmUpt.Contracts.V1;
using MmUpt.Learner.Loop;
using MmUpt.Learner.Training;

namespace MmUpt.Learner.Session;

/// <summary>
/// The step loop's <see cref="IStepTrainer"/>: each scored group is checked whole (<see cref="ScoredGroupReader"/>; a
/// bad group is dropped and counted as <c>rejected_groups</c>, never half-trained), then one GRPO step runs on the torch
/// thread. A step that throws has its gradients discarded and fails the run with one line naming the step and groups.
/// </summary>
public sealed class SessionTrainer(LearnerSession session, TorchThread torch, GrpoTrainer trainer, ILogger logger) : IStepTrainer
{
    public async Task<IReadOnlyDictionary<string, double>> TrainAsync(IReadOnlyList<ScoredGroup> groups, long step, CancellationToken cancellationToken)
    {
        var prepared = new List<PreparedGroup>(groups.Count);
        var rejected = 0;
        foreach (var g in groups)
        {
            try
            {
                prepared.Add(session.Reader.Read(g));
            }
            catch (InvalidGroupException ex)
            {
                rejected++;
                LearnerLog.Rejected(logger, ex.Message);
            }
        }
        var metrics = await torch.RunAsync(() =>
        {
            try
            {
                return trainer.Step(prepared);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or ExternalException)
            {
                session.Policy.DiscardGradients();
                throw new InvalidOperationException($"step {step} on groups {string.Join(", ", prepared.Select(g => g.GroupId))}: {ex.Message}", ex);
            }
        });
        metrics["rejected_groups"] = rejected;
        session.State.Step = step;
        session.Metrics.Write(step, metrics);
        return metrics.Values;
    }
}
