using MmUpt.Checkpoint;
using MmUpt.Model;
using MmUpt.Presets;
using MmUpt.Processing.Layout;
using static TorchSharp.torch;

namespace MmUpt.Model.Tests;

/// <summary>Shared fixtures: the tiny preset config and a prompt with one or two non-square images.</summary>
public static class TinyModels
{
    public const int Vocab = 400;

    public static Qwen25VLConfig Config(bool tied = true)
    {
        var c = CheckpointPreset.Tiny.Build(Vocab);
        c.TieWordEmbeddings = tied;
        return c;
    }

    /// <summary>
    /// Token ids of "text, vision_start, N image pads, vision_end, text" for each grid (random text ids ≥ 22, i.e.
    /// no added tokens), and the matching random pixel rows.
    /// </summary>
    public static Qwen25VLInputs Batch(Qwen25VLConfig c, IReadOnlyList<GridThw> grids, int seed, int textBefore = 3, int textAfter = 4)
    {
        var rng = new Random(seed);
        var ids = new List<long>();
        foreach (var g in grids)
        {
            for (var i = 0; i < textBefore; i++) ids.Add(rng.Next(22, c.VocabSize));
            ids.Add(c.VisionStartTokenId);
            for (var i = 0; i < g.MergedTokens(2); i++) ids.Add(c.ImageTokenId);
            ids.Add(c.VisionEndTokenId);
        }
        for (var i = 0; i < textAfter; i++) ids.Add(rng.Next(22, c.VocabSize));
        var patches = grids.Sum(g => g.Patches);
        var pixels = patches == 0 ? null : randn([patches, c.VisionConfig.PatchDim], generator: new Generator((ulong)seed));
        return new Qwen25VLInputs(tensor(ids.ToArray()).unsqueeze(0), null, pixels, grids);
    }
}
