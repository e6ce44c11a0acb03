using MmUpt.Learner.Training;
using TorchSharp;

namespace MmUpt.Learner;

/// <summary>Step metrics as TensorBoard scalars (TorchSharp's SummaryWriter) under <c>WORK/tensorboard</c>, tag <c>train/NAME</c>.</summary>
public sealed class TrainingMetricsWriter(string folder)
{
    private readonly TorchSharp.Modules.SummaryWriter _writer = torch.utils.tensorboard.SummaryWriter(folder);

    public void Write(long step, StepMetrics metrics) => Write(step, metrics.Values, "train");

    /// <summary>Scalars under <c>{group}/NAME</c> (e.g. <c>vote/top_answer_share</c>, <c>eval/maj_k</c>); non-finite values are skipped.</summary>
    public void Write(long step, IReadOnlyDictionary<string, double> values, string group)
    {
        foreach (var (name, value) in values)
        {
            if (double.IsFinite(value)) _writer.add_scalar($"{group}/{name}", (float)value, (int)step);
        }
    }
}
