using System.Globalization;

namespace MmUpt.Cli.Demo;

/// <summary>
/// The <c>mmupt train</c> recipes the demo runs, as configuration keys (sections <c>Train</c>, <c>Guard</c>,
/// <c>Learner</c>): the SFT warm start on the labelled split, and per arm one UPT stage on the unlabelled split from
/// the SFT weights, both evaluated on the held-out split at the start, every <see cref="DemoSize.EvalEvery"/> steps
/// and at the end.
/// </summary>
public static class DemoRecipes
{
    public static Dictionary<string, string> Sft(DemoLayout layout, DemoSettings settings)
    {
        var size = settings.Size;
        var keys = Common(layout.Init, layout.Sft, layout, settings);
        keys["Train:Stages:0:Kind"] = "Sft";
        keys["Train:Stages:0:Data"] = layout.SftData;
        keys["Train:Stages:0:Steps"] = I(size.SftSteps);
        keys["Train:PromptsPerStep"] = I(size.SftBatch);
        keys["Learner:Trainer:LearningRate"] = D(size.SftLearningRate);
        keys["Train:Eval:Every"] = I(size.SftSteps / 4); // four points on the SFT curve, not one every UPT interval
        return keys;
    }

    public static Dictionary<string, string> Arm(DemoLayout layout, DemoSettings settings, DemoArm arm, Uri voting, IReadOnlyList<Uri> rollouts)
    {
        var size = settings.Size;
        var keys = Common(layout.SftFinal, layout.Arm(arm.Name), layout, settings);
        keys["Train:Stages:0:Kind"] = "Upt";
        keys["Train:Stages:0:Data"] = layout.UptData;
        keys["Train:Stages:0:Steps"] = I(size.UptSteps);
        keys["Train:PromptsPerStep"] = I(size.PromptsPerStep);
        keys["Train:GroupSize"] = I(size.GroupSize);
        keys["Train:Voting"] = voting.ToString().TrimEnd('/');
        keys["Learner:Trainer:LearningRate"] = D(size.UptLearningRate);
        for (var i = 0; i < rollouts.Count; i++) keys[$"Train:Replicas:Addresses:{i}"] = rollouts[i].ToString().TrimEnd('/');
        // The guard's dev set: measured at the arm's start, every DevEvery steps and at its last step; a pass@1 more than
        // 2 points under the best measured rolls back to the newest version it measured within that.
        keys["Train:Dev:Data"] = layout.DevData;
        keys["Train:Dev:Every"] = I(size.DevEvery);
        keys["Train:Dev:Samples"] = I(size.DevSamples);
        keys["Guard:MaxDevAccuracyDrop"] = "0.02";
        foreach (var (key, value) in arm.Recipe) keys[key] = value;
        return keys;
    }

    private static Dictionary<string, string> Common(string checkpoint, string output, DemoLayout layout, DemoSettings settings)
    {
        var size = settings.Size;
        return new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Train:Checkpoint"] = checkpoint,
            ["Train:Out"] = output,
            ["Train:Seed"] = settings.Seed.ToString(CultureInfo.InvariantCulture),
            ["Train:MaxNewTokens"] = I(size.MaxNewTokens),
            ["Train:Eval:Data"] = layout.EvalData,
            ["Train:Eval:Every"] = I(size.EvalEvery),
            ["Train:Eval:Samples"] = I(size.EvalSamples),
            ["Train:Eval:Limit"] = I(size.EvalProblems),
            // The tiny model on 2 shared cores: one torch thread (a second one slows it down). Micro-batches of 8 (since
            // the vision tower attends per window / image, 8, 16 and 32 cost about the same: 2.0–2.3 s per UPT step of
            // 128 responses; 32 took 11.2 s under the old block mask over every image of the micro-batch).
            ["Learner:Threads"] = "1",
            ["Learner:Trainer:MicroBatchSize"] = "8",
            // Two optimizer steps per rollout batch (EasyR1: 512 prompts in mini-batches of 128).
            ["Learner:Trainer:GroupsPerMiniBatch"] = I(Math.Max(1, size.PromptsPerStep / 2)),
            // One group is 1/B of the top-answer share: with B = 16 a rise must hold for two steps and exceed 2 groups.
            ["Guard:BaselineSteps"] = "3",
            ["Guard:Patience"] = "2",
            ["Guard:MaxTopAnswerShareRise"] = "0.15",
        };
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string D(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
