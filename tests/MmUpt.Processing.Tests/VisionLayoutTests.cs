using MmUpt.Processing.Layout;

namespace MmUpt.Processing.Tests;

/// <summary>transformers get_window_index / rot_pos_emb worked by hand on a non-square image.</summary>
public class VisionLayoutTests
{
    [Fact]
    public void WindowIndexOnA3x5MergedImageWith2x2Windows()
    {
        // Merged grid 3x5 (patches 6x10), window 2 merged tokens; padded to 4x6 → 2x3 windows, row-major:
        //  0  1  2  3  4
        //  5  6  7  8  9
        // 10 11 12 13 14
        // windows: {0,1,5,6} {2,3,7,8} {4,9} {10,11} {12,13} {14}
        var l = new VisionLayout([new GridThw(1, 6, 10)], mergeSize: 2, windowMergedTokens: 2);
        Assert.Equal([0, 1, 5, 6, 2, 3, 7, 8, 4, 9, 10, 11, 12, 13, 14], l.WindowIndex);
        Assert.Equal([0, 16, 32, 40, 48, 56, 60], l.CuWindowSeqlens);
        Assert.Equal([0, 60], l.CuSeqlens);
    }

    [Fact]
    public void RotaryPositionsFollowMergeOrder()
    {
        var l = new VisionLayout([new GridThw(1, 6, 10)], 2, 2);
        // Patch rows: merge blocks row-major (5 per block row), 2x2 patches row-major inside each block.
        Assert.Equal([(0, 0), (0, 1), (1, 0), (1, 1), (0, 2), (0, 3), (1, 2), (1, 3)], l.RotaryPositions[..8]);
        Assert.Equal([(2, 0), (2, 1), (3, 0), (3, 1)], l.RotaryPositions[20..24]);
        Assert.Equal((5, 9), l.RotaryPositions[^1]);
    }

    [Fact]
    public void ExactlyDivisibleGridsDropTheEmptyPaddingWindowsAndImagesAreOffset()
    {
        // 2x2 merged with window 2 → one window; the reference pads a whole empty window row/column, removed again.
        var l = new VisionLayout([new GridThw(1, 4, 4), new GridThw(1, 2, 6)], 2, 2);
        // Second image: merged 1x3 → windows {4,5} {6}, offset by the first image's 4 merged tokens.
        Assert.Equal([0, 1, 2, 3, 4, 5, 6], l.WindowIndex);
        Assert.Equal([0, 16, 24, 28], l.CuWindowSeqlens);
        Assert.Equal([0, 16, 28], l.CuSeqlens);
        Assert.Equal([0, 0, 1, 1, 1], VisionLayout.SegmentIds([0, 2, 5]));
    }
}
