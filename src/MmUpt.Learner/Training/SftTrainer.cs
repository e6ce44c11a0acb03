using MmUpt.Model;
using System.Diagnostics;
using MmUpt.Checkpoint;
using static TorchSharp.torch;

namespace MmUpt.Learner.Training;

/// <summary>
/// Supervised fine-tuning with the GRPO machinery ("first SFT, second RL, third UPT"): per micro-batch
/// <c>loss = −tokmean(log p(response token | prefix)) / n_accum</c>, cross-entropy on response tokens only (prompt
/// tokens are context), logits at temperature 1 with the never-sampled columns masked as everywhere in the learner.
/// One optimizer step per call, accumulated over micro-batches of MicroBatchSize samples.
/// </summary>
public sealed class SftTrainer(Policy policy, TrainerOptions options)
{
    private readonly int[] _neverSampled = NeverSampledTokens.Ids(policy.Master.Config);

    public StepMetrics Step(IReadOnlyList<TrainingSample> samples)
    {
        var metrics = new StepMetrics();
        var watch = Stopwatch.StartNew();
        var micros = samples.Chunk(options.MicroBatchSize).ToList();
        var (loss, tokens) = (0.0, 0L);
        foreach (var micro in micros)
        {
            using var scope = NewDisposeScope();
            var device = policy.Compute.Options.Device;
            var batch = MicroBatch.Build(micro, device, options.BuildsSharedPrompts);
            var lp = PolicyLogProbs.Compute(policy.Compute, batch, 1.0, options.LogitsChunkTokens, _neverSampled); // [B, R]
            var ce = -(lp * batch.ResponseMask).sum() / batch.ResponseMask.sum().clamp_min(Scalars.Of(1.0));
            (ce / micros.Count).backward();
            loss += ce.item<float>() / micros.Count;
            tokens += batch.Tokens;
        }
        metrics["lr"] = policy.CurrentLearningRate;
        var (norm, applied) = policy.ApplyGradients();
        metrics["loss"] = loss;
        metrics["grad_norm"] = norm;
        metrics["optimizer_steps"] = applied ? 1 : 0;
        metrics["skipped_steps"] = applied ? 0 : 1;
        metrics["time_update_s"] = watch.Elapsed.TotalSeconds;
        metrics["tokens_per_second"] = tokens / Math.Max(watch.Elapsed.TotalSeconds, 1e-9);
        return metrics;
    }

    /// <summary>The mean response cross-entropy of <paramref name="samples"/> without training (evaluation).</summary>
    public double Loss(IReadOnlyList<TrainingSample> samples)
    {
        var (sum, count) = (0.0, 0.0);
        foreach (var micro in samples.Chunk(options.MicroBatchSize))
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var batch = MicroBatch.Build(micro, policy.Compute.Options.Device, options.BuildsSharedPrompts);
            var lp = PolicyLogProbs.Compute(policy.Compute, batch, 1.0, options.LogitsChunkTokens, _neverSampled);
            sum -= (lp * batch.ResponseMask).sum().item<float>();
            count += batch.ResponseMask.sum().item<float>();
        }
        return sum / Math.Max(count, 1);
    }
}
