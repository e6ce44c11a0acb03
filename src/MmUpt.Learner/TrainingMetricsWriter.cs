using MmUpt.Learner.Training;
using TorchSharp;

namespace MmUpt.Learner;

/// <summary>Step metrics as TensorBoard scalars (TorchSharp's SummaryWriter) under <c>WORK/tensorboard</c>, tag <c>train/NAME</c>.</summary>
public sealed class TrainingMetricsWriter(string folder)
{
    private readonly TorchSharp.Modules.SummaryWriter _writer = torch.utils.tensorboard.SummaryWriter(folder);

    public void Write(long step, StepMetrics metrics)
    {
        foreach (var (name, value) in metrics.Values)
        {
            if (double.IsFinite(value)) _writer.add_scalar($"train/{name}", (float)value, (int)step);
        }
    }
}
