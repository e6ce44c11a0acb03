using MmUpt.Checkpoint;
using MmUpt.Onnx.Graph;
using MmUpt.Onnx.Proto;

namespace MmUpt.Onnx.Qwen25VL;

/// <summary>
/// Per-patch coordinates from image_grid_thw, all int64 [P]. Patch p of image n (grid t×h×w, patches numbered in the
/// processor's order: frame, merged row, merged column, then the 2×2 merge unit row-major) has local index
/// r = p − start[n]; frame = r / (h·w); q = r mod (h·w); unit = q / 4;
/// row = 2·(unit / (w/2)) + (q mod 4)/2, column = 2·(unit mod (w/2)) + q mod 2 (HF rot_pos_emb);
/// its merged cell (row/2, column/2) lies in window (row/2 / ws, column/2 / ws) of a ⌈(h/2)/ws⌉×⌈(w/2)/ws⌉ tiling
/// (HF get_window_index, ws = window_size/merge/patch). Frame is a key unique over all frames of all images.
/// </summary>
internal sealed record PatchLayout(string Row, string Column, string Window, string Frame)
{
    public static PatchLayout Build(GraphBuilder g, Qwen25VLVisionConfig v, string pixels, string grid)
    {
        const TensorProto.Types.DataType I64 = TensorProto.Types.DataType.Int64;
        var m = g.Int64Scalar(v.SpatialMergeSize);
        var unitSize = g.Int64Scalar(v.SpatialMergeSize * v.SpatialMergeSize);
        var ws = g.Int64Scalar(v.WindowMergedTokens);
        var t = g.Gather(grid, g.Int64Scalar(0), 1);          // [N]
        var h = g.Gather(grid, g.Int64Scalar(1), 1);          // [N]
        var w = g.Gather(grid, g.Int64Scalar(2), 1);          // [N]
        var hw = g.Mul(h, w);
        var count = g.Mul(t, hw);
        var ends = g.CumSum(count, 0);                        // [N]
        var starts = g.Sub(ends, count);

        var p = g.Range(g.Int64Scalar(0), g.Dim(pixels, 0), g.Int64Scalar(1));                       // [P]
        var past = g.Cast(g.GreaterOrEqual(g.Unsqueeze(p, 1), g.Unsqueeze(ends, 0)), I64);           // [P,N]
        var image = g.ReduceSum(past, 1, keepDims: false);                                            // [P]
        var hwP = g.Gather(hw, image);
        var startP = g.Gather(starts, image);
        var mergedW = g.Div(g.Gather(w, image), m);

        var r = g.Sub(p, startP);
        var frame = g.Div(r, hwP);
        var q = g.Mod(r, hwP);
        var unit = g.Div(q, unitSize);
        var inUnit = g.Mod(q, unitSize);
        var mergedRow = g.Div(unit, mergedW);
        var mergedCol = g.Mod(unit, mergedW);
        var row = g.Add(g.Mul(mergedRow, m), g.Div(inUnit, m));
        var column = g.Add(g.Mul(mergedCol, m), g.Mod(inUnit, m));

        var windowsPerRow = g.Div(g.Add(mergedW, g.Int64Scalar(v.WindowMergedTokens - 1)), ws);
        var window = g.Add(g.Mul(g.Div(mergedRow, ws), windowsPerRow), g.Div(mergedCol, ws));
        var frameKey = g.Add(startP, g.Mul(frame, hwP));
        return new PatchLayout(row, column, window, frameKey);
    }
}
