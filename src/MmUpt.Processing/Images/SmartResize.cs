namespace MmUpt.Processing.Images;

/// <summary>
/// transformers <c>qwen2_vl.image_processing_qwen2_vl.smart_resize</c>: both sides become multiples of
/// <c>factor</c> (patch·merge = 28), the area stays within [min_pixels, max_pixels], the aspect ratio about the same.
/// Rounding is Python's <c>round</c> (half to even), which differs from ORT GenAI's processor on ties (sides ≡ 14 mod 28).
/// </summary>
public static class SmartResize
{
    /// <summary>Why an image of this size cannot be resized (null when it can), so readers can refuse it from its header.</summary>
    public static string? Problem(int height, int width, int factor = 28)
    {
        if ((double)Math.Max(height, width) / Math.Max(1, Math.Min(height, width)) > 200)
            return $"image of {width}x{height} px has an aspect ratio over 200";
        if (height < factor || width < factor)
            return $"image of {width}x{height} px is smaller than the {factor}-px factor on a side";
        return null;
    }

    public static (int Height, int Width) Compute(int height, int width, int factor = 28, long minPixels = 56 * 56, long maxPixels = 28L * 28 * 1280)
    {
        if (Problem(height, width, factor) is { } problem)
            throw new InvalidImageException(problem);
        var h = (int)Math.Round((double)height / factor, MidpointRounding.ToEven) * factor;
        var w = (int)Math.Round((double)width / factor, MidpointRounding.ToEven) * factor;
        if ((long)h * w > maxPixels)
        {
            var beta = Math.Sqrt((double)height * width / maxPixels);
            h = Math.Max(factor, (int)Math.Floor(height / beta / factor) * factor);
            w = Math.Max(factor, (int)Math.Floor(width / beta / factor) * factor);
        }
        else if ((long)h * w < minPixels)
        {
            var beta = Math.Sqrt((double)minPixels / ((double)height * width));
            h = (int)Math.Ceiling(height * beta / factor) * factor;
            w = (int)Math.Ceiling(width * beta / factor) * factor;
        }
        return (h, w);
    }
}
