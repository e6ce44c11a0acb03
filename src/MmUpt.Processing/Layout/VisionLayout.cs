using MmUpt.Checkpoint;
namespace MmUpt.Processing.Layout;

/// <summary>
/// The integer bookkeeping of the Qwen2.5-VL vision tower for a list of images, all over the patch rows of
/// <c>pixel_values</c> (merge order: per frame, 2×2 merge blocks row-major, patches row-major inside a block).
/// </summary>
public sealed class VisionLayout
{
    /// <summary>(row, col) of every patch in the patch grid, in pixel_values order (transformers <c>rot_pos_emb</c>).</summary>
    public (int H, int W)[] RotaryPositions { get; }

    /// <summary>Merged-token permutation into window order (transformers <c>get_window_index</c>).</summary>
    public int[] WindowIndex { get; }

    /// <summary>Cumulative patch counts of the windows, starting at 0, empty windows removed (<c>unique_consecutive</c>).</summary>
    public int[] CuWindowSeqlens { get; }

    /// <summary>Cumulative patch counts of the frames (full-attention segments), starting at 0.</summary>
    public int[] CuSeqlens { get; }

    public int Patches => RotaryPositions.Length;

    public VisionLayout(IReadOnlyList<GridThw> grids, int mergeSize, int windowMergedTokens)
    {
        var rot = new List<(int, int)>();
        var window = new List<int>();
        var cuWindow = new List<int> { 0 };
        var cu = new List<int> { 0 };
        var unit = mergeSize * mergeSize;
        var offset = 0;
        foreach (var g in grids)
        {
            if (g.H % mergeSize != 0 || g.W % mergeSize != 0)
                throw new ArgumentException($"grid {g} is not divisible by spatial_merge_size {mergeSize}");
            int mh = g.H / mergeSize, mw = g.W / mergeSize, v = windowMergedTokens;
            for (var t = 0; t < g.T; t++)
            {
                cu.Add(cu[^1] + g.H * g.W);
                for (var bh = 0; bh < mh; bh++)
                for (var bw = 0; bw < mw; bw++)
                for (var dh = 0; dh < mergeSize; dh++)
                for (var dw = 0; dw < mergeSize; dw++)
                    rot.Add((bh * mergeSize + dh, bw * mergeSize + dw));
                // The reference pads by v − (n mod v), a whole empty window when n is a multiple of v.
                int nwh = (mh + v - mh % v) / v, nww = (mw + v - mw % v) / v;
                for (var wy = 0; wy < nwh; wy++)
                for (var wx = 0; wx < nww; wx++)
                {
                    var count = 0;
                    for (var y = wy * v; y < Math.Min((wy + 1) * v, mh); y++)
                    for (var x = wx * v; x < Math.Min((wx + 1) * v, mw); x++, count++)
                        window.Add(offset + t * mh * mw + y * mw + x);
                    var next = cuWindow[^1] + count * unit;
                    if (next != cuWindow[^1]) cuWindow.Add(next);
                }
            }
            offset += g.T * mh * mw;
        }
        RotaryPositions = rot.ToArray();
        WindowIndex = window.ToArray();
        CuWindowSeqlens = cuWindow.ToArray();
        CuSeqlens = cu.ToArray();
    }

    public VisionLayout(IReadOnlyList<GridThw> grids, Qwen25VLVisionConfig c) : this(grids, c.SpatialMergeSize, c.WindowMergedTokens) { }

    /// <summary>Segment number of every position of a sequence cut at <paramref name="cumulative"/>.</summary>
    public static int[] SegmentIds(int[] cumulative)
    {
        var ids = new int[cumulative[^1]];
        for (var s = 0; s + 1 < cumulative.Length; s++)
            for (var i = cumulative[s]; i < cumulative[s + 1]; i++) ids[i] = s;
        return ids;
    }
}
