using MmUpt.Checkpoint;
using MmUpt.Learner.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MmUpt.Learner.Tests;

public class GrpoTrainerTests
{
    private static double[] SumLogProbs(Policy policy, IReadOnlyList<TrainingSample> samples, double temperature)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var batch = MicroBatch.Build(samples, CPU);
        var lp = PolicyLogProbs.Compute(policy.Compute, batch, temperature, 7, NeverSampledTokens.Ids(policy.Master.Config));
        return lp.sum(1).data<float>().Select(x => (double)x).ToArray();
    }

    [Fact]
    public void OneStepRaisesPositivelyRewardedResponsesAndLowersTheOthers()
    {
        var options = LearnerFixtures.Options(lr: 2e-3);
        using var policy = new Policy(LearnerFixtures.LoadTiny(), options);
        using var reference = LearnerFixtures.LoadTiny();
        var image = LearnerFixtures.Png(90, 84, 56);
        var groups = LearnerFixtures.TwoTextGroups().Append(LearnerFixtures.Group("img", LearnerFixtures.ImagePrompt(image, 5),
            [(LearnerFixtures.Text(71, 4), 1f), (LearnerFixtures.Text(72, 5), 0f), (LearnerFixtures.Text(73, 3), 0f)], image))
            .Select(LearnerFixtures.Reader().Read).ToList();
        var samples = groups.SelectMany(g => g.Samples).ToList();
        var before = SumLogProbs(policy, samples, options.Temperature);

        var metrics = new GrpoTrainer(policy, reference, options).Step(groups);

        var after = SumLogProbs(policy, samples, options.Temperature);
        Assert.Equal(1, metrics["optimizer_steps"]);
        Assert.Equal(0, metrics["ppo_kl"], 5);           // π_old recomputed with the same weights: ratio 1
        Assert.Equal(0, metrics["kl_loss"], 5);          // the reference is the same model before the step
        for (var i = 0; i < samples.Count; i++)
        {
            var moved = after[i] - before[i];
            if (samples[i].Reward > 0) Assert.True(moved > 0, $"sample {i} (reward 1): {before[i]} → {after[i]}");
            else Assert.True(moved < 0, $"sample {i} (reward 0): {before[i]} → {after[i]}");
        }
    }

    /// <summary>
    /// π_old is the policy before the batch's updates. With one optimizer step (one mini-batch) it is taken from the
    /// update's own forward; with several, recomputed up front — a later mini-batch's forward runs already-updated weights.
    /// Either way it equals the log-probs of the weights before the step.
    /// </summary>
    [Theory]
    [InlineData(128)]
    [InlineData(1)]
    public void OldLogProbsAreThoseOfTheWeightsBeforeTheStep(int groupsPerMiniBatch)
    {
        var options = LearnerFixtures.Options(lr: 2e-3);
        options.GroupsPerMiniBatch = groupsPerMiniBatch;
        using var policy = new Policy(LearnerFixtures.LoadTiny(), options);
        var groups = LearnerFixtures.TwoTextGroups(3).Select(LearnerFixtures.Reader().Read).ToList();
        var samples = groups.SelectMany(g => g.Samples).ToList();
        float[][] before;
        using (NewDisposeScope())
        using (no_grad())
        {
            var batch = MicroBatch.Build(samples, CPU);
            before = batch.Unpad(PolicyLogProbs.Compute(policy.Compute, batch, options.Temperature, options.LogitsChunkTokens,
                NeverSampledTokens.Ids(policy.Master.Config)));
        }

        var metrics = new GrpoTrainer(policy, null, options).Step(groups);

        Assert.Equal(groupsPerMiniBatch == 1 ? groups.Count : 1, metrics["optimizer_steps"]);
        for (var i = 0; i < samples.Count; i++)
        {
            Assert.Equal(before[i].Length, samples[i].OldLogProbs!.Length);
            for (var t = 0; t < before[i].Length; t++)
            {
                Assert.True(Math.Abs(before[i][t] - samples[i].OldLogProbs![t]) <= 1e-5, $"sample {i} token {t}: {before[i][t]} vs {samples[i].OldLogProbs![t]}");
            }
        }
    }

    /// <summary>
    /// A micro-batch that runs each distinct prompt once (a group's responses after one prompt forward; the image group
    /// through the vision tower once) gives the log-probs and parameter gradients of every row run whole.
    /// </summary>
    [Fact]
    public void SharedPromptsGiveTheLogProbsAndGradientsOfWholeRows()
    {
        using var policy = new Policy(LearnerFixtures.LoadTiny(), LearnerFixtures.Options());
        var image = LearnerFixtures.Png(90, 84, 56);
        var groups = LearnerFixtures.TwoTextGroups(2).Append(LearnerFixtures.Group("img", LearnerFixtures.ImagePrompt(image, 5),
            [(LearnerFixtures.Text(71, 4), 1f), (LearnerFixtures.Text(72, 1), 0f), (LearnerFixtures.Text(73, 6), 0f)], image))
            .Select(LearnerFixtures.Reader().Read).ToList();
        var samples = groups.SelectMany(g => g.Samples).ToList();
        var never = NeverSampledTokens.Ids(policy.Master.Config);

        (float[] LogProbs, Dictionary<string, float[]> Grads) Run(bool share)
        {
            policy.Compute.zero_grad();
            using var scope = NewDisposeScope();
            var batch = MicroBatch.Build(samples, CPU, share);
            Assert.Equal(share, batch.Shared is not null);
            var lp = PolicyLogProbs.Compute(policy.Compute, batch, 0.7, 7, never);                 // [B, R]
            (lp * randn(lp.shape, generator: new Generator(11))).sum().backward();
            return (lp.detach().flatten().data<float>().ToArray(),
                policy.Compute.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.flatten().data<float>().ToArray()));
        }
        var whole = Run(share: false);
        var shared = Run(share: true);

        for (var i = 0; i < whole.LogProbs.Length; i++)
            Assert.True(Math.Abs(whole.LogProbs[i] - shared.LogProbs[i]) <= 1e-5f, $"log-prob {i}: {whole.LogProbs[i]} vs {shared.LogProbs[i]}");
        foreach (var (name, expected) in whole.Grads)
        {
            var scale = Math.Max(1e-3f, expected.Max(Math.Abs));
            var diff = expected.Zip(shared.Grads[name], (a, b) => Math.Abs(a - b)).Max();
            Assert.True(diff / scale <= 1e-4f, $"{name}: max |Δ grad| {diff} (largest {scale})");
        }
        Assert.Contains(shared.Grads["visual.patch_embed.proj.weight"], g => g != 0);
    }

    [Fact]
    public void ZeroSignalGroupsAreCountedAndOptionallySkipped()
    {
        var options = LearnerFixtures.Options();
        options.SkipZeroSignalGroups = true;
        using var policy = new Policy(LearnerFixtures.LoadTiny(), options);
        var flat = LearnerFixtures.Group("flat", LearnerFixtures.Text(5, 4), [(LearnerFixtures.Text(6, 3), 1f), (LearnerFixtures.Text(7, 3), 1f)]);
        var groups = new[] { LearnerFixtures.Reader().Read(flat) };
        var metrics = new GrpoTrainer(policy, null, options).Step(groups);
        Assert.Equal(1, metrics["zero_signal_groups"]);
        Assert.Equal(0, metrics["optimizer_steps"]);
    }

    [Fact]
    public void SftLowersTheLossOnItsBatch()
    {
        var options = LearnerFixtures.Options(lr: 3e-3);
        using var policy = new Policy(LearnerFixtures.LoadTiny(), options);
        var samples = LearnerFixtures.TwoTextGroups(3).Select(LearnerFixtures.Reader().Read).SelectMany(g => g.Samples).ToList();
        var sft = new SftTrainer(policy, options);
        var before = sft.Loss(samples);
        for (var i = 0; i < 3; i++) sft.Step(samples);
        Assert.True(sft.Loss(samples) < before - 0.05, $"{before} → {sft.Loss(samples)}");
    }

    [Fact]
    public void Bf16ComputeKeepsFp32MasterWeightsAndGradientCheckpointingGivesTheSameStep()
    {
        var groups = LearnerFixtures.TwoTextGroups(4).Select(LearnerFixtures.Reader().Read).ToList();
        float[] Run(TrainerOptions o)
        {
            using var policy = new Policy(LearnerFixtures.LoadTiny(), o);
            new GrpoTrainer(policy, null, o).Step(groups);
            Assert.Equal(ScalarType.Float32, policy.Master.parameters().First().dtype);
            using var scope = NewDisposeScope();
            return cat(policy.Master.parameters().Select(p => p.detach().flatten()).ToList()).data<float>().ToArray();
        }
        // Checkpointing runs every row whole: so does the run it is compared with (AdamW's first step is ±lr wherever a
        // gradient is nonzero, so any other summation order can move a near-zero gradient's weight by 2·lr).
        var whole = LearnerFixtures.Options();
        whole.SharePrompts = false;
        var plain = Run(whole);
        var checkpointed = LearnerFixtures.Options();
        checkpointed.GradientCheckpointing = true;
        var viaCheckpoint = Run(checkpointed);
        Assert.Equal(plain.Length, viaCheckpoint.Length);
        Assert.True(plain.Zip(viaCheckpoint).All(p => Math.Abs(p.First - p.Second) <= 1e-6f), "checkpointed step differs");

        var bf16 = LearnerFixtures.Options();
        bf16.Precision = "bf16";
        var mixed = Run(bf16);
        using var initial = LearnerFixtures.LoadTiny();
        using var scope = NewDisposeScope();
        var start = cat(initial.parameters().Select(p => p.detach().flatten()).ToList()).data<float>().ToArray();
        // The step moved the fp32 master (by about lr per weight, far below bf16's resolution for most of them).
        Assert.True(mixed.Zip(start).Count(p => p.First != p.Second) > mixed.Length / 2);
    }

    [Fact]
    public void RepeatedStepsDoNotLeakTensors()
    {
        var options = LearnerFixtures.Options();
        using var policy = new Policy(LearnerFixtures.LoadTiny(), options);
        using var reference = LearnerFixtures.LoadTiny();
        var trainer = new GrpoTrainer(policy, reference, options);
        var groups = LearnerFixtures.TwoTextGroups(5).Select(LearnerFixtures.Reader().Read).ToList();
        var live = new List<long>();
        for (var step = 0; step < 12; step++)
        {
            trainer.Step(groups);
            live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        }
        // Step 0 creates the AdamW state; from then on nothing may accumulate.
        Assert.All(live.Skip(2), n => Assert.Equal(live[1], n));
    }
}
