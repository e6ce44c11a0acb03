using MmUpt.Checkpoint;
using MmUpt.Processing.Layout;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MmUpt.Model;

/// <summary>
/// transformers <c>Qwen25VLVisionTransformerPretrainedModel</c> (checkpoint prefix <c>visual.</c>): patch embed, 2-D
/// rotary (row half, column half; <c>Qwen25VLVisionRotaryEmbedding</c>, θ = 10000), reorder of merge blocks into window
/// order, blocks with window attention except <c>fullatt_block_indexes</c> (whole frames), merger, inverse reorder.
/// Legend: P patches, C vision width, D head dim, U = P/4 merge blocks.
/// </summary>
public sealed class Qwen25VLVisionTransformerPretrainedModel : nn.Module<Tensor, VisionLayout, Tensor>
{
    [ComponentName(Name = "patch_embed")]
    private readonly Qwen25VLVisionPatchEmbed _patchEmbed;
    [ComponentName(Name = "blocks")]
    private readonly ModuleList<Qwen25VLVisionBlock> _blocks;
    [ComponentName(Name = "merger")]
    private readonly Qwen25VLPatchMerger _merger;
    private readonly Qwen25VLVisionConfig _c;

    public Qwen25VLVisionTransformerPretrainedModel(Qwen25VLVisionConfig c, ModelOptions o) : base(nameof(Qwen25VLVisionTransformerPretrainedModel))
    {
        _c = c;
        _patchEmbed = new Qwen25VLVisionPatchEmbed(c.InChannels, c.TemporalPatchSize, c.PatchSize, c.HiddenSize, o);
        _blocks = nn.ModuleList(Enumerable.Range(0, c.Depth)
            .Select(_ => new Qwen25VLVisionBlock(c.HiddenSize, c.NumHeads, c.IntermediateSize, o)).ToArray());
        _merger = new Qwen25VLPatchMerger(c.OutHiddenSize, c.HiddenSize, c.SpatialMergeSize, o);
        RegisterComponents();
    }

    /// <summary>pixel_values [P, 3·T·P·P] of all images in order → image features [P/4, out_hidden] in the same order.</summary>
    public override Tensor forward(Tensor pixelValues, VisionLayout layout)
    {
        using var scope = NewDisposeScope();
        var dev = pixelValues.device;
        long p = pixelValues.shape[0], unit = _c.SpatialMergeSize * _c.SpatialMergeSize;
        if (p != layout.Patches) throw new ArgumentException($"pixel_values has {p} rows, image_grid_thw implies {layout.Patches}");
        var h = _patchEmbed.forward(pixelValues);                                           // [P, C]
        var c = h.shape[1];

        var quarter = _c.HeadDim / 2;
        var invFreq = full(quarter / 2, Scalars.Of(10000.0), dtype: ScalarType.Float32, device: dev)
            .pow(arange(Scalars.Of(0), Scalars.Of(quarter), Scalars.Of(2), dtype: ScalarType.Float32, device: dev) / quarter).reciprocal(); // [D/4]
        var hp = tensor(layout.RotaryPositions.Select(x => (float)x.H).ToArray(), device: dev).unsqueeze(1);
        var wp = tensor(layout.RotaryPositions.Select(x => (float)x.W).ToArray(), device: dev).unsqueeze(1);
        var rot = cat([hp * invFreq, wp * invFreq], 1);                                     // [P, D/2]

        var index = tensor(layout.WindowIndex.Select(i => (long)i).ToArray(), device: dev);
        h = h.view(p / unit, unit, c).index_select(0, index).view(p, c);                    // [U, 4, C] → window order → [P, C]
        rot = rot.view(p / unit, unit, -1).index_select(0, index).view(p, -1);              // [P, D/2]
        var emb = cat([rot, rot], -1);                                                      // [P, D]
        var (cos, sin) = (emb.cos(), emb.sin());

        var windows = new VisionSegments(layout.CuWindowSeqlens, dev);
        var images = new VisionSegments(layout.CuSeqlens, dev);
        for (var i = 0; i < _blocks.Count; i++)
        {
            h = _blocks[i].forward(h, cos, sin, _c.FullattBlockIndexes.Contains(i) ? images : windows);
        }
        var merged = _merger.forward(h);                                                     // [U, out]
        return merged.index_select(0, index.argsort()).MoveToOuterDisposeScope();
    }
}
