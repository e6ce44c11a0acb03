using Google.Protobuf;
using MmUpt.Checkpoint;
using MmUpt.Contracts.V1;
using MmUpt.Learner.Training;
using MmUpt.Model;
using MmUpt.Presets;
using MmUpt.Processing;

namespace MmUpt.Learner.Tests;

/// <summary>A tiny HF checkpoint written once per test run (mmupt init's code path), and scored groups built by hand.</summary>
public static class LearnerFixtures
{
    private static readonly Lazy<string> Folder = new(() =>
    {
        var dir = Path.Combine(Path.GetTempPath(), "mmupt-learner-tests-" + Environment.ProcessId);
        if (!File.Exists(Path.Combine(dir, "config.json"))) CheckpointInitializer.Write(CheckpointPreset.Tiny, dir, seed: 11);
        return dir;
    });

    public static string TinyCheckpoint => Folder.Value;

    public static Qwen25VLProcessor Processor => Qwen25VLProcessor.Open(TinyCheckpoint);

    public static Qwen25VLForConditionalGeneration LoadTiny() => Qwen25VLModel.FromPretrained(TinyCheckpoint, ModelOptions.CpuFloat32);

    public static ScoredGroupReader Reader(Func<ulong, bool>? published = null) =>
        new(Processor.Config, Processor.ImageProcessor, published ?? (v => v == 0));

    /// <summary>Random plain-text ids (no added tokens) from a seed.</summary>
    public static int[] Text(int seed, int length)
    {
        var rng = new Random(seed);
        var vocab = Processor.Config.VocabSize;
        return Enumerable.Range(0, length).Select(_ => rng.Next(22, vocab)).ToArray();
    }

    /// <summary>A scored group of one text prompt; response i has the given reward and behaviour log-probs of −1.</summary>
    public static ScoredGroup Group(string id, int[] prompt, IReadOnlyList<(int[] Response, float Reward)> responses, Image? image = null)
    {
        var g = new ScoredGroup { GroupId = id, Mode = VoteMode.Faithful };
        for (var i = 0; i < responses.Count; i++)
        {
            var s = new Sample { GroupId = id, Index = (uint)i, GroupSize = (uint)responses.Count, Prompt = new Prompt { PromptId = id } };
            if (image is not null) s.Prompt.Images.Add(image);
            s.PromptTokenIds.Add(prompt);
            s.ResponseTokenIds.Add(responses[i].Response);
            s.BehaviourLogprobs.Add(responses[i].Response.Select(_ => -1f));
            g.Samples.Add(new ScoredSample { Sample = s, Reward = responses[i].Reward, Trained = true });
        }
        return g;
    }

    /// <summary>Two groups of four responses, rewards 1, 0, 1, 0 in each.</summary>
    public static List<ScoredGroup> TwoTextGroups(int seed = 1) =>
        Enumerable.Range(0, 2).Select(g => Group($"g{seed}-{g}", Text(seed * 100 + g, 6),
            Enumerable.Range(0, 4).Select(i => (Text(seed * 1000 + g * 10 + i, 3 + i), i % 2 == 0 ? 1f : 0f)).ToList())).ToList();

    public static Image Png(byte shade, int width, int height) => new() { Content = ByteString.CopyFrom(Testing.TestImages.Png(shade, width, height)) };

    /// <summary>Prompt ids for one image: text, vision_start, its image pads, vision_end, text.</summary>
    public static int[] ImagePrompt(Image image, int seed)
    {
        var p = Processor;
        var tokens = p.ImageProcessor.Process(image.Content.ToByteArray()).TokenCount(p.Config.VisionConfig.SpatialMergeSize);
        return [.. Text(seed, 3), p.Config.VisionStartTokenId, .. Enumerable.Repeat(p.Config.ImageTokenId, tokens), p.Config.VisionEndTokenId, .. Text(seed + 1, 2)];
    }

    public static TrainerOptions Options(double lr = 1e-3) => new() { LearningRate = lr, MicroBatchSize = 3 };
}
