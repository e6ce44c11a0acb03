using MmUpt.Processing.Layout;

namespace MmUpt.Learner.Training;

/// <summary>The processed images of one prompt: pixel rows [Patches, PatchDim] of all images in order, and their grids.</summary>
public sealed record PromptImages(float[] PixelValues, int PatchDim, IReadOnlyList<GridThw> Grids)
{
    public int Patches => Grids.Sum(g => g.Patches);
}
