using SkiaSharp;

namespace MmUpt.Processing.Images;

/// <summary>
/// The one way encoded images become pixels (SkiaSharp): the header is read first (<see cref="SKCodec"/> parses only
/// the header on creation) and the pixel count checked against <see cref="ImageLimits.MaxPixels"/> before a pixel buffer
/// exists; then the body is decoded and must decode completely. A PNG whose IDAT is garbage gives SkiaSharp's
/// <c>IncompleteInput</c> with a half-filled bitmap, which is an error here, not an image.
/// </summary>
public static class ImageDecoder
{
    /// <summary>Width and height from the header; throws <see cref="InvalidImageException"/> when unreadable or over the limit.</summary>
    public static (int Width, int Height) ReadHeader(byte[] encoded, ImageLimits limits)
    {
        using var codec = OpenCodec(encoded, limits);
        return (codec.Info.Width, codec.Info.Height);
    }

    /// <summary>Decodes to unpremultiplied RGBA (dropping alpha must leave the stored colours, as PIL's convert("RGB") does).</summary>
    public static SKBitmap Decode(byte[] encoded, ImageLimits limits)
    {
        using var codec = OpenCodec(encoded, limits);
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
        {
            bitmap.Dispose();
            throw new InvalidImageException($"{Describe(codec)} image data is corrupt or truncated ({result})");
        }
        return bitmap;
    }

    private static SKCodec OpenCodec(byte[] encoded, ImageLimits limits)
    {
        if (encoded.Length > limits.MaxFileBytes)
        {
            throw new InvalidImageException($"image of {encoded.Length:N0} bytes is over the limit of {limits.MaxFileBytes:N0} bytes");
        }
        var codec = SKCodec.Create(new SKMemoryStream(encoded), out var result)
                    ?? throw new InvalidImageException($"not a decodable PNG, JPEG, GIF, WebP or BMP image ({result})");
        var (w, h) = (codec.Info.Width, codec.Info.Height);
        if (w <= 0 || h <= 0 || (long)w * h > limits.MaxPixels)
        {
            codec.Dispose();
            throw new InvalidImageException(w <= 0 || h <= 0
                ? $"image header declares {w}x{h} px"
                : $"image of {w}x{h} px ({(double)w * h / 1e6:F1} MP) is over the limit of {limits.MaxPixels / 1e6:F1} MP");
        }
        return codec;
    }

    private static string Describe(SKCodec codec) =>
        $"{codec.EncodedFormat.ToString().ToUpperInvariant()} {codec.Info.Width}x{codec.Info.Height}";
}
