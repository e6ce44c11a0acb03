using System.ComponentModel.DataAnnotations;

namespace MmUpt.Processing.Images;

/// <summary>
/// Bounds on an input image, checked before any pixel is decoded: the encoded size when a file is read, then the pixel
/// count from the header. A 1.2 MB PNG can declare 20000×20000 px (1.6 GB as RGBA, 4.4 GB through the float pipeline),
/// and a path like <c>/dev/zero</c> never ends; both are refused with one line instead.
/// </summary>
public sealed class ImageLimits
{
    /// <summary>The defaults below.</summary>
    public static ImageLimits Default { get; } = new();

    /// <summary>
    /// Largest width × height accepted; default 50,000,000 (50 MP). Qwen2.5-VL resizes every image to at most
    /// <c>max_pixels</c> (1280·28² ≈ 1 MP by default, 16384·28² ≈ 12.8 MP at the largest setting in use), so anything
    /// bigger is only downscaled: 50 MP admits a 48 MP phone photo or a 7000×7000 scan while bounding one decode to
    /// 200 MB of RGBA.
    /// </summary>
    [Range(1, long.MaxValue)]
    public long MaxPixels { get; set; } = 50_000_000;

    /// <summary>
    /// Largest encoded image file read, in bytes; default 64 MiB (a 50 MP photo is 10–25 MB as JPEG; PNG screenshots and
    /// diagrams compress far better). The read stops at this bound, so a device or a runaway file costs at most this much.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MaxFileBytes { get; set; } = 64 * 1024 * 1024;
}
