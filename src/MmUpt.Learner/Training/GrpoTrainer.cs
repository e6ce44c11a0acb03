using System.Diagnostics;
using MmUpt.Checkpoint;
using MmUpt.Learner.Grpo;
using MmUpt.Model;
using static TorchSharp.torch;

namespace MmUpt.Learner.Training;

/// <summary>
/// One GRPO step over a rollout batch of scored groups, as EasyR1 runs it: group-normalised advantages; π_old
/// recomputed with the current weights (or the behaviour log-probs; or, when each sample meets one optimizer step, the
/// update's own detached log-probs, the same values without a second forward); π_ref from the frozen reference; then Epochs
/// passes of mini-batches of GroupsPerMiniBatch groups, each one optimizer step accumulated over micro-batches of
/// MicroBatchSize responses (<see cref="GrpoLoss"/>). Every micro-step runs in its own DisposeScope. Groups are
/// validated before the step (<see cref="ScoredGroupReader"/>), so a bad group never reaches the optimizer.
/// </summary>
public sealed class GrpoTrainer(Policy policy, Qwen25VLForConditionalGeneration? reference, TrainerOptions options)
{
    private readonly int[] _neverSampled = NeverSampledTokens.Ids(policy.Master.Config);

    public StepMetrics Step(IReadOnlyList<PreparedGroup> groups)
    {
        var metrics = new StepMetrics();
        var total = Stopwatch.StartNew();
        var zeroSignal = 0;
        foreach (var g in groups)
        {
            var rewards = g.Samples.Select(s => s.Reward).ToList();
            var adv = GroupAdvantages.Compute(rewards, g.Samples.Select(_ => g.GroupId).ToList(), options.Grpo.AdvantageEps);
            for (var i = 0; i < adv.Length; i++) g.Samples[i].Advantage = adv[i];
            if (GroupAdvantages.IsZeroSignal(rewards)) zeroSignal++;
        }
        var all = groups.SelectMany(g => g.Samples).ToList();
        metrics["groups"] = groups.Count;
        metrics["responses"] = all.Count;
        metrics["zero_signal_groups"] = zeroSignal;
        metrics["reward_mean"] = all.Count == 0 ? double.NaN : all.Average(s => s.Reward);
        metrics["response_length_mean"] = all.Count == 0 ? double.NaN : all.Average(s => s.ResponseIds.Length);
        var train = options.SkipZeroSignalGroups ? groups.Where(g => !GroupAdvantages.IsZeroSignal(g.Samples.Select(s => s.Reward).ToList())).ToList() : groups.ToList();
        var samples = train.SelectMany(g => g.Samples).ToList();

        var watch = Stopwatch.StartNew();
        // π_old is the policy before this batch's updates. When every sample is in exactly one optimizer step (one epoch,
        // the batch in one mini-batch) the update's own forward runs those very weights on that very micro-batch: its
        // detached log-probs are π_old, so no separate pass is needed (TRL's shortcut for num_iterations = 1).
        var oldFromUpdate = options.OldLogProbs == OldLogProbSource.Recompute && options.Epochs == 1 && train.Count <= options.GroupsPerMiniBatch;
        if (options.OldLogProbs == OldLogProbSource.Behaviour)
        {
            foreach (var s in samples) s.OldLogProbs = s.BehaviourLogProbs;
        }
        else if (!oldFromUpdate)
        {
            Score(policy.Compute, samples, (s, lp) => s.OldLogProbs = lp);
            metrics["logprob_mismatch"] = Mismatch(samples);
        }
        metrics["time_old_logprob_s"] = watch.Elapsed.TotalSeconds;
        watch.Restart();
        var withKl = options.Grpo.KlCoef > 0 && reference is not null;
        if (withKl) Score(reference!, samples, (s, lp) => s.RefLogProbs = lp);
        metrics["time_ref_logprob_s"] = watch.Elapsed.TotalSeconds;

        watch.Restart();
        var means = new MetricMeans();
        long tokens = 0;
        var (steps, skipped) = (0, 0);
        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            foreach (var mini in train.Chunk(options.GroupsPerMiniBatch))
            {
                var micros = mini.SelectMany(g => g.Samples).Chunk(options.MicroBatchSize).ToList();
                var stepLoss = 0.0;
                foreach (var micro in micros)
                {
                    var parts = MicroStep(micro, micros.Count, withKl, oldFromUpdate);
                    stepLoss += parts.Loss;
                    tokens += micro.Sum(s => (long)s.PromptIds.Length + s.ResponseIds.Length);
                    means.Add("pg_loss", parts.PgLoss);
                    means.Add("kl_loss", parts.KlLoss);
                    means.Add("pg_clipfrac_higher", parts.ClipFracHigher);
                    means.Add("pg_clipfrac_lower", parts.ClipFracLower);
                    means.Add("ppo_kl", parts.PpoKl);
                    means.Add("entropy", parts.Entropy);
                }
                means.Add("lr", policy.CurrentLearningRate);
                var (norm, applied) = policy.ApplyGradients();
                means.Add("loss", stepLoss);
                means.Add("grad_norm", norm);
                if (applied) steps++; else skipped++;
            }
        }
        means.CopyTo(metrics);
        if (oldFromUpdate)
        {
            metrics["logprob_mismatch"] = Mismatch(samples);
        }
        var update = watch.Elapsed.TotalSeconds;
        metrics["optimizer_steps"] = steps;
        metrics["skipped_steps"] = skipped;
        metrics["time_update_s"] = update;
        metrics["tokens_per_second"] = update > 0 ? tokens / update : 0;
        metrics["time_total_s"] = total.Elapsed.TotalSeconds;
        return metrics;
    }

    /// <param name="oldFromUpdate">π_old is this forward's own log-probs, detached (and kept on the samples).</param>
    private GrpoLossParts MicroStep(TrainingSample[] micro, int accumulation, bool withKl, bool oldFromUpdate)
    {
        using var scope = NewDisposeScope();
        var device = policy.Compute.Options.Device;
        var batch = MicroBatch.Build(micro, device, options.BuildsSharedPrompts);
        var lp = PolicyLogProbs.Compute(policy.Compute, batch, options.Temperature, options.LogitsChunkTokens, _neverSampled); // [B, R]
        Tensor old;
        if (oldFromUpdate)
        {
            old = lp.detach();
            var values = batch.Unpad(old);
            for (var i = 0; i < micro.Length; i++) micro[i].OldLogProbs = values[i];
        }
        else
        {
            old = batch.Padded(s => s.OldLogProbs!, device);
        }
        Tensor? isWeights = null;
        if (options.TisCap > 0)
            isWeights = (old - batch.Padded(s => s.BehaviourLogProbs, device)).exp().clamp_max(Scalars.Of(options.TisCap));
        var inputs = new GrpoLossInputs(lp, old, withKl ? batch.Padded(s => s.RefLogProbs!, device) : null, batch.ResponseMask,
            tensor(micro.Select(s => (float)s.Advantage).ToArray(), device: device), isWeights);
        var (loss, parts) = GrpoLoss.Compute(inputs, options.Grpo, accumulation);
        loss.backward();
        return parts;
    }

    /// <summary>Log-probs of every sample's response under <paramref name="model"/>, without a graph.</summary>
    private void Score(Qwen25VLForConditionalGeneration model, List<TrainingSample> samples, Action<TrainingSample, float[]> set)
    {
        foreach (var micro in samples.Chunk(options.MicroBatchSize))
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var batch = MicroBatch.Build(micro, model.Options.Device, options.BuildsSharedPrompts);
            var values = batch.Unpad(PolicyLogProbs.Compute(model, batch, options.Temperature, options.LogitsChunkTokens, _neverSampled));
            for (var i = 0; i < micro.Length; i++) set(micro[i], values[i]);
        }
    }

    private static double Mismatch(List<TrainingSample> samples)
    {
        var n = samples.Sum(s => s.ResponseIds.Length);
        return n == 0 ? 0 : samples.Sum(s => s.BehaviourLogProbs.Zip(s.OldLogProbs!, (b, o) => (double)b - o).Sum()) / n;
    }
}
