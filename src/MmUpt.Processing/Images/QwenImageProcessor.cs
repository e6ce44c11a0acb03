using SkiaSharp;
using MmUpt.Checkpoint;

namespace MmUpt.Processing.Images;

/// <summary>
/// Qwen2VLImageProcessor: decode (SkiaSharp, PNG/JPEG), drop alpha, smart-resize with Pillow-exact bicubic
/// (<see cref="PilBicubicResize"/>), rescale by 1/255, normalise with the CLIP mean/std, repeat the frame to the
/// temporal patch size, and patchify into rows of the merge-ordered patch grid.
/// </summary>
/// <param name="limits">Checked on the header before decoding; default <see cref="ImageLimits.Default"/>.</param>
public sealed class QwenImageProcessor(ImageProcessorConfig config, ImageLimits? limits = null)
{
    public ImageProcessorConfig Config { get; } = config;

    public ImageLimits Limits { get; } = limits ?? ImageLimits.Default;

    /// <summary>Throws <see cref="InvalidImageException"/> for bytes that are not a complete image within <see cref="Limits"/>.</summary>
    public ProcessedImage Process(byte[] encoded)
    {
        var (width, height) = ImageDecoder.ReadHeader(encoded, Limits);
        if (Config.DoResize && SmartResize.Problem(height, width, Config.PatchSize * Config.MergeSize) is { } problem)
        {
            throw new InvalidImageException(problem);
        }
        using var bitmap = ImageDecoder.Decode(encoded, Limits);
        return Process(bitmap);
    }

    public ProcessedImage Process(SKBitmap bitmap)
    {
        using var rgba = bitmap.ColorType == SKColorType.Rgba8888 ? null : bitmap.Copy(SKColorType.Rgba8888);
        var src = (rgba ?? bitmap).Bytes;
        var rgb = new byte[bitmap.Width * bitmap.Height * 3];
        for (int i = 0, j = 0; i < rgb.Length; i += 3, j += 4)
        {
            rgb[i] = src[j];
            rgb[i + 1] = src[j + 1];
            rgb[i + 2] = src[j + 2];
        }
        return ProcessRgb(rgb, bitmap.Width, bitmap.Height);
    }

    /// <summary>From interleaved 8-bit RGB [height, width, 3].</summary>
    public ProcessedImage ProcessRgb(byte[] rgb, int width, int height)
    {
        var c = Config;
        var factor = c.PatchSize * c.MergeSize;
        var (h, w) = c.DoResize ? SmartResize.Compute(height, width, factor, c.MinPixels, c.MaxPixels) : (height, width);
        if (h % factor != 0 || w % factor != 0) throw new ArgumentException($"{w}x{h} px is not a multiple of {factor}; enable do_resize");
        var resized = (h, w) == (height, width) ? rgb : PilBicubicResize.Resize(rgb, width, height, w, h);
        return Patchify(Normalize(resized, h, w), h, w);
    }

    /// <summary>uint8 HWC → float CHW, rescaled and normalised.</summary>
    private float[] Normalize(byte[] rgb, int h, int w)
    {
        var c = Config;
        var plane = h * w;
        var chw = new float[3 * plane];
        for (var ch = 0; ch < 3; ch++)
        {
            var scale = c.DoRescale ? c.RescaleFactor : 1.0;
            var mean = c.DoNormalize ? c.ImageMean[ch] : 0.0;
            var std = c.DoNormalize ? c.ImageStd[ch] : 1.0;
            for (var i = 0; i < plane; i++) chw[ch * plane + i] = (float)((rgb[i * 3 + ch] * scale - mean) / std);
        }
        return chw;
    }

    /// <summary>
    /// [C, H, W] → [gh·gw, C·T·P·P]: the reference reshapes (gt, T, C, gh/m, m, P, gw/m, m, P) and permutes
    /// (0, 3, 6, 4, 7, 2, 1, 5, 8); a still image is T identical frames, so gt = 1.
    /// </summary>
    private ProcessedImage Patchify(float[] chw, int h, int w)
    {
        int p = Config.PatchSize, t = Config.TemporalPatchSize, m = Config.MergeSize;
        int gh = h / p, gw = w / p, dim = 3 * t * p * p;
        var rows = new float[gh * gw * dim];
        var r = 0;
        for (var bh = 0; bh < gh / m; bh++)
        for (var bw = 0; bw < gw / m; bw++)
        for (var dh = 0; dh < m; dh++)
        for (var dw = 0; dw < m; dw++, r++)
        {
            int py0 = (bh * m + dh) * p, px0 = (bw * m + dw) * p, o = r * dim;
            for (var ch = 0; ch < 3; ch++)
            for (var tt = 0; tt < t; tt++)
            for (var py = 0; py < p; py++)
            for (var px = 0; px < p; px++)
                rows[o++] = chw[ch * h * w + (py0 + py) * w + px0 + px];
        }
        return new ProcessedImage(rows, 1, gh, gw, dim, h, w);
    }
}
