namespace MmUpt.Processing.Layout;

/// <summary>One row of <c>image_grid_thw</c>: temporal, height and width in patches (not merged tokens).</summary>
public readonly record struct GridThw(int T, int H, int W)
{
    public int Patches => T * H * W;

    /// <summary>Merged tokens = <c>&lt;|image_pad|&gt;</c> tokens of this image.</summary>
    public int MergedTokens(int mergeSize) => T * (H / mergeSize) * (W / mergeSize);
}
