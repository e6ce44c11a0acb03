using MmUpt.Checkpoint;
using MmUpt.Onnx.Graph;
using MmUpt.Onnx.Proto;

namespace MmUpt.Onnx.Qwen25VL;

/// <summary>
/// The Qwen2.5-VL vision tower for any number and sizes of images: pixel_values [P, C·T·Pz·Pz] (rows in the
/// processor's merge order) + image_grid_thw [N,3] → image_features [P/4, out_hidden].
/// Per-patch row/column, window and frame are computed in-graph from image_grid_thw (so no fixed image size).
/// Window attention is a block mask "same frame and same window" instead of HF's reorder by window_index;
/// attention is permutation-invariant over keys and every other op is per token or per merge unit, so the result
/// is HF's up to summation order, and the output comes out in image order with no argsort.
/// An image equal to the one before it (same grid, same pixels: a group's G rows carry its image G times, since ORT
/// GenAI cannot fork a generator) is encoded once and its features copied (<see cref="ImageSources"/>).
/// </summary>
internal static class VisionGraph
{
    private const TensorProto.Types.DataType F32 = TensorProto.Types.DataType.Float;
    private const TensorProto.Types.DataType I64 = TensorProto.Types.DataType.Int64;
    private const double Eps = 1e-6;

    public static OnnxModel Build(Qwen25VLConfig a, Func<GraphBuilder, WeightBinder> bind)
    {
        var v = a.VisionConfig;
        var g = new GraphBuilder("qwen2_5_vl_vision");
        var w = bind(g);
        var allPixels = g.Input("pixel_values", F32, "num_patches", v.PatchDim);
        var allGrids = g.Input("image_grid_thw", I64, "num_images", 3);
        ImageSources sources;
        using (g.Scope("visual/distinct_images"))
        {
            sources = ImageSources.Build(g, v, allPixels, allGrids);
        }
        var pixels = g.Gather(allPixels, sources.DistinctPatches);                  // [Pd, C·T·Pz·Pz]
        var grid = sources.DistinctGrids;                                            // [D,3]
        string x, cos, sin, windowMask, frameMask;
        using (g.Scope("visual/patch_embed"))
        {
            x = g.MatMul(pixels, w["visual.patch_embed.proj.MatMul.weight"]);   // [P,Hv]
        }
        using (g.Scope("visual/layout"))
        {
            var layout = PatchLayout.Build(g, v, pixels, grid);
            (cos, sin) = RotaryCosSin(g, v, layout.Row, layout.Column);
            frameMask = g.Equal(g.Unsqueeze(layout.Frame, 1), g.Unsqueeze(layout.Frame, 0));      // [P,P]
            var sameWindow = g.Equal(g.Unsqueeze(layout.Window, 1), g.Unsqueeze(layout.Window, 0)); // [P,P]
            windowMask = g.And(frameMask, sameWindow);
        }
        for (var j = 0; j < v.Depth; j++)
        {
            using var block = g.Scope($"visual/blocks.{j}");
            x = Block(g, w, v, j, x, cos, sin, v.FullattBlockIndexes.Contains(j) ? frameMask : windowMask);
        }
        using (g.Scope("visual/merger"))
        {
            var m = v.SpatialMergeSize * v.SpatialMergeSize;
            var xn = Blocks.RmsNorm(g, x, w["visual.merger.ln_q.weight"], Eps);
            var merged = g.Reshape(xn, -1, v.HiddenSize * m);                  // [P/4, 4·Hv]
            var hidden = Blocks.Linear(g, w, merged, "visual.merger.mlp.0", bias: true);
            var erf = g.Erf(g.Mul(hidden, g.FloatScalar((float)(1.0 / Math.Sqrt(2.0)))));
            var gelu = g.Mul(g.Mul(hidden, g.FloatScalar(0.5f)), g.Add(erf, g.FloatScalar(1f)));
            var y = Blocks.Linear(g, w, gelu, "visual.merger.mlp.2", bias: false);
            var features = g.Add(y, w["visual.merger.mlp.2.Add.bias"]);            // [Pd/4, out_hidden]
            g.NamedNode("Gather", [features, sources.FeatureRows], "image_features"); // [P/4, out_hidden], every image
        }
        g.Output("image_features", F32, "num_image_tokens", v.OutHiddenSize);
        return g.Build();
    }

    private static string Block(GraphBuilder g, WeightBinder w, Qwen25VLVisionConfig v, int j, string x,
        string cos, string sin, string mask)
    {
        var p = $"visual.blocks.{j}";
        long nh = v.NumHeads, hd = v.HeadDim;
        string h;
        using (g.Scope("attn"))
        {
            var xn = Blocks.RmsNorm(g, x, w[$"{p}.norm1.weight"], Eps);
            var qkv = g.Reshape(Blocks.Linear(g, w, xn, $"{p}.attn.qkv", bias: true), -1, 3, nh, hd); // [P,3,Hh,D]
            var parts = g.Split(qkv, 1, 1, 1, 1);
            var q = Blocks.Rotary(g, g.Squeeze(parts[0], 1), cos, sin, hd);   // [P,Hh,D]
            var k = Blocks.Rotary(g, g.Squeeze(parts[1], 1), cos, sin, hd);   // [P,Hh,D]
            var vv = g.Transpose(g.Squeeze(parts[2], 1), 1, 0, 2);             // [Hh,P,D]
            var scores = g.MatMul(g.Transpose(q, 1, 0, 2), g.Transpose(k, 1, 2, 0)); // [Hh,P,P]
            scores = g.Where(mask, g.Mul(scores, g.FloatScalar((float)(1.0 / Math.Sqrt(hd)))), g.FloatScalar(float.MinValue));
            var context = g.MatMul(g.Softmax(scores, -1), vv);                 // [Hh,P,D]
            context = g.Reshape(g.Transpose(context, 1, 0, 2), -1, nh * hd);   // [P,Hv]
            h = g.Add(x, Blocks.Linear(g, w, context, $"{p}.attn.proj", bias: true));
        }
        using (g.Scope("mlp"))
        {
            var hn = Blocks.RmsNorm(g, h, w[$"{p}.norm2.weight"], Eps);
            return g.Add(h, Blocks.SwiGlu(g, w, hn, $"{p}.mlp", bias: true));
        }
    }

    /// <summary>
    /// Qwen25VLVisionRotaryEmbedding(head_dim/2): inv_freq = 1/10000^(2i/(D/2)); rotary = cat(row ⊗ inv, col ⊗ inv);
    /// emb = cat(rotary, rotary) → cos, sin [P,1,D].
    /// </summary>
    private static (string Cos, string Sin) RotaryCosSin(GraphBuilder g, Qwen25VLVisionConfig v, string row, string column)
    {
        var dim = v.HeadDim / 2;
        var inv = new float[dim / 2];
        for (var i = 0; i < inv.Length; i++)
        {
            inv[i] = (float)(1.0 / Math.Pow(10000.0, (float)(2 * i) / dim));
        }
        var invFreq = g.Floats([inv.Length], inv);
        var fh = g.Mul(g.Unsqueeze(g.Cast(row, F32), 1), invFreq);      // [P,D/4]
        var fw = g.Mul(g.Unsqueeze(g.Cast(column, F32), 1), invFreq);   // [P,D/4]
        var rotary = g.Concat(-1, fh, fw);                               // [P,D/2]
        var emb = g.Concat(-1, rotary, rotary);                          // [P,D]
        return (g.Unsqueeze(g.Cos(emb), 1), g.Unsqueeze(g.Sin(emb), 1)); // [P,1,D]
    }
}
