using MmUpt.Checkpoint;
using MmUpt.Onnx.Graph;
using MmUpt.Onnx.Proto;

namespace MmUpt.Onnx.Qwen25VL;

/// <summary>
/// Which images of a vision call the tower encodes, and where each image's features come from. An image with the same
/// grid and exactly the same pixel values as the image before it repeats it (checked in-graph, patch by patch: nothing
/// is assumed from the caller); source[i] is the first image of i's run of repeats. The distinct images (run starts)
/// feed the tower, in image order; output row r of image i (merged tokens, f_i = t·h·w / merge² per image) is row
/// start_d[source[i]] + (r − start[i]) of the tower's output, where start_d counts only distinct images. All int64.
/// </summary>
internal sealed record ImageSources(string DistinctPatches, string DistinctGrids, string FeatureRows)
{
    public static ImageSources Build(GraphBuilder g, Qwen25VLVisionConfig v, string pixels, string grid)
    {
        const TensorProto.Types.DataType I64 = TensorProto.Types.DataType.Int64;
        const TensorProto.Types.DataType F32 = TensorProto.Types.DataType.Float;
        var zero = g.Int64Scalar(0);
        var one = g.Int64Scalar(1);
        var images = g.Dim(grid, 0);
        var all = g.Range(zero, images, one);                                                      // [N]
        var count = g.Mul(g.Mul(g.Gather(grid, zero, 1), g.Gather(grid, one, 1)), g.Gather(grid, g.Int64Scalar(2), 1)); // [N] patches
        var patch = g.Range(zero, g.Dim(pixels, 0), one);                                          // [P]
        var patchImage = Owner(g, patch, g.CumSum(count, 0));                                      // [P]

        // Image i repeats image i − 1 iff same grid and every patch equals the patch count[i − 1] rows before it.
        var previous = g.Op("Max", g.Sub(all, one), zero);                                         // [N]
        var previousCount = g.Mul(g.Gather(count, previous), g.Cast(g.Op("Greater", all, zero), I64)); // [N], 0 for image 0
        var earlier = g.Gather(pixels, g.Sub(patch, g.Gather(previousCount, patchImage)));        // [P, C]
        var differs = g.ReduceMax(g.Cast(g.Op("Not", g.Equal(pixels, earlier)), F32), 1, keepDims: false); // [P] 0/1
        var member = g.Cast(g.Equal(g.Unsqueeze(patchImage, 1), g.Unsqueeze(all, 0)), F32);      // [P, N]
        var differing = g.Squeeze(g.MatMul(g.Unsqueeze(differs, 0), member), 0);                  // [N] differing patches
        var sameGrid = g.ReduceMin(g.Cast(g.Equal(grid, g.Gather(grid, previous)), I64), 1, keepDims: false); // [N] 0/1
        var repeats = g.And(g.And(g.Op("Greater", all, zero), g.Cast(sameGrid, TensorProto.Types.DataType.Bool)),
            g.Equal(differing, g.FloatScalar(0f)));                                                // [N]
        var distinct = g.Op("Not", repeats);                                                       // [N] run starts
        var distinctIndex = g.Squeeze(g.Op("NonZero", distinct), 0);                               // [D]
        var run = g.Sub(g.CumSum(g.Cast(distinct, I64), 0), one);                                  // [N]
        var sources = g.Gather(distinctIndex, run);                                                // [N]
        var keep = g.Squeeze(g.Op("NonZero", g.Gather(distinct, patchImage)), 0);                   // [Pd]

        var tokens = g.Div(count, g.Int64Scalar(v.SpatialMergeSize * v.SpatialMergeSize));        // [N]
        var ends = g.CumSum(tokens, 0);
        var starts = g.Sub(ends, tokens);
        var distinctTokens = g.Mul(tokens, g.Cast(distinct, I64));
        var distinctStarts = g.Sub(g.CumSum(distinctTokens, 0), distinctTokens);                   // [N]
        var rows = g.Range(zero, g.ReduceSum(tokens, 0, keepDims: false), one);                    // [F]
        var image = Owner(g, rows, ends);                                                          // [F]
        var local = g.Sub(rows, g.Gather(starts, image));
        var from = g.Add(g.Gather(distinctStarts, g.Gather(sources, image)), local);              // [F]
        return new ImageSources(keep, g.Gather(grid, distinctIndex), from);
    }

    /// <summary>The image each index belongs to: the number of images that end at or before it. [K], [N] → [K].</summary>
    private static string Owner(GraphBuilder g, string index, string ends) =>
        g.ReduceSum(g.Cast(g.GreaterOrEqual(g.Unsqueeze(index, 1), g.Unsqueeze(ends, 0)), TensorProto.Types.DataType.Int64), 1, keepDims: false);
}
