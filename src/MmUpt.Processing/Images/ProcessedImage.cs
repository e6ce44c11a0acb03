namespace MmUpt.Processing.Images;

/// <summary>
/// One preprocessed image: <see cref="PixelValues"/> is row-major [Patches, PatchDim] (PatchDim = C·T·P·P = 1176),
/// rows in (t, h-block, w-block, dh, dw) order, each row [c][t][py][px]; <c>image_grid_thw</c> = (GridT, GridH, GridW).
/// </summary>
public sealed record ProcessedImage(float[] PixelValues, int GridT, int GridH, int GridW, int PatchDim, int ResizedHeight, int ResizedWidth)
{
    public int Patches => GridT * GridH * GridW;

    /// <summary>Number of <c>&lt;|image_pad|&gt;</c> tokens this image takes in the prompt: t·h·w / merge².</summary>
    public int TokenCount(int mergeSize = 2) => Patches / (mergeSize * mergeSize);
}
