using MmUpt.Learner.Checkpoints;
using MmUpt.Learner.Training;
using MmUpt.Model;
using MmUpt.Testing;
using static TorchSharp.torch;

namespace MmUpt.Learner.Tests;

public class CheckpointTests
{
    private static List<PreparedGroup> Batch(int step) =>
        LearnerFixtures.TwoTextGroups(20 + step).Select(LearnerFixtures.Reader().Read).ToList();

    private static float[] Flat(Qwen25VLForConditionalGeneration m)
    {
        using var scope = NewDisposeScope();
        return cat(m.parameters().Select(p => p.detach().flatten()).ToList()).data<float>().ToArray();
    }

    [Fact]
    public void ResumeAfterTwoStepsGivesBitIdenticalParametersToAnUninterruptedRun()
    {
        var options = LearnerFixtures.Options(lr: 1e-3);
        options.WarmupSteps = 3;
        options.GroupsPerMiniBatch = 1; // two optimizer steps per learner step
        using var reference = LearnerFixtures.LoadTiny();

        float[] uninterrupted;
        using (var policy = new Policy(LearnerFixtures.LoadTiny(), options))
        {
            var trainer = new GrpoTrainer(policy, reference, options);
            for (var step = 0; step < 4; step++) trainer.Step(Batch(step));
            uninterrupted = Flat(policy.Master);
        }

        using var work = new TempDir();
        var store = new CheckpointStore(work.Path, keep: 2);
        using (var policy = new Policy(LearnerFixtures.LoadTiny(), options))
        {
            var trainer = new GrpoTrainer(policy, reference, options);
            for (var step = 0; step < 2; step++) trainer.Step(Batch(step));
            store.Save(policy, new LearnerState { Step = 2, DataCursor = "row-16" }, [LearnerFixtures.TwoTextGroups(99)[0]], LearnerFixtures.TinyCheckpoint);
        }
        using var resumed = new Policy(LearnerFixtures.LoadTiny(), options);
        var (state, pending) = CheckpointStore.Load(store.Latest()!, resumed);
        Assert.Equal(2, state.Step);
        Assert.Equal(4, resumed.OptimizerSteps);
        Assert.Equal("row-16", state.DataCursor);
        Assert.Equal("g99-0", Assert.Single(pending).GroupId);
        var again = new GrpoTrainer(resumed, reference, options);
        for (var step = 2; step < 4; step++) again.Step(Batch(step));

        Assert.Equal(uninterrupted, Flat(resumed.Master));
    }

    [Fact]
    public void ACheckpointIsAPlainHfFolderAndAnInterruptedWriteNeverLooksComplete()
    {
        var options = LearnerFixtures.Options();
        using var work = new TempDir();
        var store = new CheckpointStore(work.Path, keep: 2);
        using var policy = new Policy(LearnerFixtures.LoadTiny(), options);
        new GrpoTrainer(policy, null, options).Step(Batch(0));
        var saved = store.Save(policy, new LearnerState { Step = 1 }, [], LearnerFixtures.TinyCheckpoint);
        using (var loaded = Qwen25VLModel.FromPretrained(Path.Combine(saved, "model"), ModelOptions.CpuFloat32))
            Assert.Equal(Flat(policy.Master), Flat(loaded));
        Assert.True(File.Exists(Path.Combine(saved, "model", "tokenizer.json")));

        // A crash while writing step 2 leaves only a .tmp folder: not a checkpoint, and removed on the next open.
        var partial = Path.Combine(store.Root, ".tmp-step-00000002-dead");
        Directory.CreateDirectory(Path.Combine(partial, "model"));
        File.WriteAllText(Path.Combine(partial, "state.json"), "{}");
        Assert.Equal(saved, store.Latest());
        Assert.Equal(saved, new CheckpointStore(work.Path, keep: 2).Latest());
        Assert.False(Directory.Exists(partial));

        for (var step = 2; step <= 4; step++) store.Save(policy, new LearnerState { Step = step }, [], null);
        Assert.Equal(["step-00000003", "step-00000004"], Directory.GetDirectories(store.Root).Select(d => Path.GetFileName(d)!).Order().ToArray());
    }
}
