using MmUpt.Data;
using SkiaSharp;

namespace MmUpt.Testing;

/// <summary>Small real PNG and JPEG files for round trips, each with a distinct fill so they can't be confused.</summary>
public static class TestImages
{
    public static byte[] Png(byte shade, int width = 28, int height = 28) => Encode(shade, width, height, SKEncodedImageFormat.Png);

    public static byte[] Jpeg(byte shade) => Encode(shade, 28, 28, SKEncodedImageFormat.Jpeg);

    private static byte[] Encode(byte shade, int width, int height, SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(new SKColor(shade, (byte)(255 - shade), 7));
        using var data = bitmap.Encode(format, 90);
        return data.ToArray();
    }

    public static DataRecord Record(int i, int images = 1, bool answer = true) =>
        new($"r{i}", $"{string.Concat(Enumerable.Repeat("<image>", images))}Question {i}?", answer ? $"{i * 3}" : null,
            Enumerable.Range(0, images).Select(k => new ImageData(Png((byte)(i * 10 + k)))).ToList());
}
