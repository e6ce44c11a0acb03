using MmUpt.Processing.Layout;
using static TorchSharp.torch;

namespace MmUpt.Model;

/// <summary>
/// One forward batch. <see cref="InputIds"/> [B, L] int64 with each image's <c>&lt;|image_pad|&gt;</c> already expanded;
/// <see cref="AttentionMask"/> [B, L] (1 token, 0 padding; all ones when null); <see cref="PixelValues"/> [P, 1176]
/// of all images in order with their <see cref="ImageGrids"/>; <see cref="PositionIds"/> [3, B, L] is computed with
/// <see cref="RopeIndex"/> when null. The caller owns every tensor.
/// </summary>
public sealed record Qwen25VLInputs(
    Tensor InputIds,
    Tensor? AttentionMask = null,
    Tensor? PixelValues = null,
    IReadOnlyList<GridThw>? ImageGrids = null,
    Tensor? PositionIds = null);
