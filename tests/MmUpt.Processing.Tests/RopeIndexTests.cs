using MmUpt.Processing.Layout;

namespace MmUpt.Processing.Tests;

/// <summary>Expected values worked out by hand from transformers' get_rope_index (see each case's comment).</summary>
public class RopeIndexTests
{
    private const int Img = 12, Vid = 13, Vs = 9, Ve = 10;

    private static RopeIndexResult Run(long[][] rows, long[][]? mask, params GridThw[] grids)
    {
        var ids = new long[rows.Length, rows[0].Length];
        long[,]? m = mask is null ? null : new long[rows.Length, rows[0].Length];
        for (var b = 0; b < rows.Length; b++)
        for (var j = 0; j < rows[0].Length; j++)
        {
            ids[b, j] = rows[b][j];
            if (m is not null) m[b, j] = mask![b][j];
        }
        return RopeIndex.Compute(ids, m, grids, Img, Vid, Vs, 2);
    }

    private static long[] Stream(RopeIndexResult r, int s, int row) =>
        Enumerable.Range(0, r.Positions.GetLength(2)).Select(j => r.Positions[s, row, j]).ToArray();

    [Fact]
    public void TextOnlyIsArangeInAllStreams()
    {
        var r = Run([[30, 31, 32, 33, 34]], null);
        for (var s = 0; s < 3; s++) Assert.Equal([0L, 1, 2, 3, 4], Stream(r, s, 0));
        Assert.Equal([0L], r.Deltas);
    }

    [Fact]
    public void TextOnlyLeftPaddingPutsOneOnPadsAndCountsFromTheFirstToken()
    {
        var r = Run([[0, 0, 30, 31, 32]], [[0, 0, 1, 1, 1]]);
        for (var s = 0; s < 3; s++) Assert.Equal([1L, 1, 0, 1, 2], Stream(r, s, 0));
        Assert.Equal([-2L], r.Deltas); // max 2, + 1 − L 5
    }

    [Fact]
    public void OneNonSquareImage()
    {
        // a b VS [6 pads: grid 4x6 patches = 2x3 merged] VE c.
        // Text a,b,VS: 0,1,2. Image starts at 3: t = 3; h = 3 + row; w = 3 + col. VE, c: max 5 + 1 → 6, 7.
        var r = Run([[30, 31, Vs, Img, Img, Img, Img, Img, Img, Ve, 32]], null, new GridThw(1, 4, 6));
        Assert.Equal([0L, 1, 2, 3, 3, 3, 3, 3, 3, 6, 7], Stream(r, 0, 0));
        Assert.Equal([0L, 1, 2, 3, 3, 3, 4, 4, 4, 6, 7], Stream(r, 1, 0));
        Assert.Equal([0L, 1, 2, 3, 4, 5, 3, 4, 5, 6, 7], Stream(r, 2, 0));
        Assert.Equal([-3L], r.Deltas); // 7 + 1 − 11
    }

    [Fact]
    public void TwoImagesInOneRow()
    {
        // VS [2x2 merged] VE x VS [1x2 merged] VE.
        // VS: 0; image 1: start 1 → (1,1,1) (1,1,2) (1,2,1) (1,2,2); VE x VS: 3,4,5; image 2: start 6 → (6,6,6) (6,6,7); VE: 8.
        var r = Run([[Vs, Img, Img, Img, Img, Ve, 40, Vs, Img, Img, Ve]], null, new GridThw(1, 4, 4), new GridThw(1, 2, 4));
        Assert.Equal([0L, 1, 1, 1, 1, 3, 4, 5, 6, 6, 8], Stream(r, 0, 0));
        Assert.Equal([0L, 1, 1, 2, 2, 3, 4, 5, 6, 6, 8], Stream(r, 1, 0));
        Assert.Equal([0L, 1, 2, 1, 2, 3, 4, 5, 6, 7, 8], Stream(r, 2, 0));
        Assert.Equal([-2L], r.Deltas);
    }

    [Fact]
    public void PaddedBatchTakesImagesInOrderAcrossRows()
    {
        // Row 0 (left-padded): pad pad a VS [1 token] VE → pads 1; a, VS: 0, 1; image (2,2,2); VE 3. delta 3 + 1 − 6 = −2.
        // Row 1: VS [1x2 merged] VE b c → 0; (1,1,1) (1,1,2); 3, 4, 5. delta 0.
        var r = Run(
            [[0, 0, 30, Vs, Img, Ve], [Vs, Img, Img, Ve, 31, 32]],
            [[0, 0, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1]],
            new GridThw(1, 2, 2), new GridThw(1, 2, 4));
        for (var s = 0; s < 3; s++) Assert.Equal([1L, 1, 0, 1, 2, 3], Stream(r, s, 0));
        Assert.Equal([0L, 1, 1, 3, 4, 5], Stream(r, 0, 1));
        Assert.Equal([0L, 1, 1, 3, 4, 5], Stream(r, 1, 1));
        Assert.Equal([0L, 1, 2, 3, 4, 5], Stream(r, 2, 1));
        Assert.Equal([-2L, 0], r.Deltas);
    }

    [Fact]
    public void GridAndTokenCountMismatchesAreErrors()
    {
        Assert.Throws<ArgumentException>(() => Run([[Vs, Img, Ve]], null));
        Assert.Throws<ArgumentException>(() => Run([[30, 31]], null, new GridThw(1, 2, 2)));
    }
}
