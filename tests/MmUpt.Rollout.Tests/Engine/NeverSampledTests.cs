using MmUpt.Checkpoint;
using MmUpt.Checkpoint.Safetensors;
using MmUpt.Core;
using MmUpt.Onnx.Export;
using MmUpt.Presets;
using MmUpt.Rollout.Engine;
using MmUpt.Sampling;
using MmUpt.Testing;

namespace MmUpt.Rollout.Tests.Engine;

/// <summary>
/// The image/video placeholders and vision delimiters are never sampled, even from a model that favours them: their
/// rows of the (tied) LM head are set to 3× the row of the token the random model likes best, so their logits dominate.
/// </summary>
public sealed class NeverSampledTests
{
    private const int Favoured = 32;

    [Fact]
    public void Placeholders_never_appear_in_10000_tokens_from_a_model_that_favours_them()
    {
        using var dir = new TempDir();
        var hf = Path.Combine(dir.Path, "hf");
        var config = CheckpointInitializer.Write(CheckpointPreset.Tiny, hf, seed: 5);
        var never = NeverSampledTokens.Ids(config);
        FavourTokens(hf, never);

        var unmasked = Count(Qwen25VLExporter.Export(hf, Path.Combine(dir.Path, "plain"), new Qwen25VLExportOptions { MaskNeverSampledTokens = false }).Folder, never);
        var masked = Count(Qwen25VLExporter.Export(hf, Path.Combine(dir.Path, "masked")).Folder, never);

        // Without the mask the edited model samples them far above chance (their share of the vocabulary).
        var chance = (double)unmasked.Total * never.Length / config.VocabSize;
        Assert.True(unmasked.Hits > 3 * chance, $"the edited model must favour the placeholders: {unmasked.Hits} of {unmasked.Total} (chance {chance:F0})");
        Assert.True(masked.Total >= 10_000, $"{masked.Total} tokens");
        Assert.Equal(0, masked.Hits);
    }

    [Fact]
    public void Per_request_banned_ids_are_never_sampled()
    {
        using var dir = new TempDir();
        var hf = Path.Combine(dir.Path, "hf");
        CheckpointInitializer.Write(CheckpointPreset.Tiny, hf, seed: 5);
        using var engine = OrtGenAiEngine.Load(Qwen25VLExporter.Export(hf, Path.Combine(dir.Path, "onnx")).Folder, DeviceSpec.Cpu);
        var greedy = engine.Sample(engine.Prepare(TinyExport.Prompt("count"), Array.Empty<byte[]>()), 1,
            new SamplingSettings { TopK = 1, MaxNewTokens = 8, Temperature = 1f, TopP = 1f })[0].TokenIds;
        // Banning every token the greedy response used forces other choices at every step.
        var banned = greedy.Concat(engine.Info.EosTokenIds).ToHashSet();
        var tokens = Sample(engine, GroupSampling.Mask(banned, engine.Info.VocabSize), rows: 8, newTokens: 40);
        Assert.Equal(8 * 40, tokens.Count);
        Assert.DoesNotContain(tokens, banned.Contains);
    }

    private static (int Hits, int Total) Count(string folder, int[] never)
    {
        using var engine = OrtGenAiEngine.Load(folder, DeviceSpec.Cpu);
        var tokens = new List<int>();
        for (var batch = 0; tokens.Count < 10_000; batch++)
        {
            tokens.AddRange(Sample(engine, GroupSampling.Mask(engine.Info.EosTokenIds, engine.Info.VocabSize), 32, 80, (ulong)batch + 1));
        }
        return (tokens.Count(never.Contains), tokens.Count);
    }

    // Rows that cannot stop early (end-of-sequence ids banned), full-distribution sampling at T = 1.
    private static List<int> Sample(OrtGenAiEngine engine, bool[]? banned, int rows, int newTokens, ulong seed = 1)
    {
        var prompt = engine.Prepare(TinyExport.Prompt("count the red squares"), Array.Empty<byte[]>());
        var sampling = new GroupSampling(new SamplingSettings { Temperature = 1f, TopP = 1f, MaxNewTokens = newTokens, Seed = seed }, banned,
            new HashSet<int>());
        var tokens = new List<int>();
        engine.Run(Enumerable.Range(0, rows).Select(i => new BatchRow(prompt, sampling, RowSampler.RowRandom(seed, i), CancellationToken.None,
            r => { lock (tokens) { tokens.AddRange(r.Sequence.TokenIds); } })).ToList());
        return tokens;
    }

    private static void FavourTokens(string folder, int[] ids)
    {
        List<SafetensorsTensor> tensors;
        using (var checkpoint = SafetensorsCheckpoint.Open(folder))
        {
            tensors = checkpoint.Names.Select(name =>
            {
                var info = checkpoint.Info(name);
                if (name is not ("lm_head.weight" or "model.embed_tokens.weight"))
                {
                    return SafetensorsTensor.FromBytes(name, info.DType, info.Shape, checkpoint.ReadBytes(name));
                }
                var w = checkpoint.ReadFloat32(name);
                var hidden = (int)info.Shape[1];
                foreach (var id in ids)
                {
                    for (var j = 0; j < hidden; j++)
                    {
                        w[id * hidden + j] = 3f * w[Favoured * hidden + j];
                    }
                }
                return SafetensorsTensor.FromFloats(name, info.Shape, w);
            }).ToList();
        }
        SafetensorsCheckpoint.Save(folder, tensors);
    }
}
