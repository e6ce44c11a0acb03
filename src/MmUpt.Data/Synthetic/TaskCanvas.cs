using SkiaSharp;

namespace MmUpt.Data;

/// <summary>An RGBA canvas with a white background, drawn without antialiasing (exact colours), encoded as PNG.</summary>
internal sealed class TaskCanvas : IDisposable
{
    private readonly SKBitmap _bitmap;
    private readonly SKCanvas _canvas;

    public TaskCanvas(int width, int height)
    {
        Width = width;
        Height = height;
        _bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        _canvas = new SKCanvas(_bitmap);
        _canvas.Clear(Palette.Background);
    }

    public int Width { get; }

    public int Height { get; }

    public static double Area(ShapeKind kind, int size) => kind switch
    {
        ShapeKind.Circle => Math.PI * size * size / 4,
        ShapeKind.Square => (double)size * size,
        _ => size * size / 2.0,
    };

    /// <summary>Draws a shape in the square [x, x+size) × [y, y+size).</summary>
    public void Shape(ShapeKind kind, int x, int y, int size, SKColor color)
    {
        using var paint = Paint(color);
        switch (kind)
        {
            case ShapeKind.Circle:
                _canvas.DrawCircle(x + size / 2f, y + size / 2f, size / 2f, paint);
                break;
            case ShapeKind.Square:
                _canvas.DrawRect(x, y, size, size, paint);
                break;
            default:
                using (var path = new SKPath())
                {
                    path.MoveTo(x + size / 2f, y);
                    path.LineTo(x + size, y + size);
                    path.LineTo(x, y + size);
                    path.Close();
                    _canvas.DrawPath(path, paint);
                }
                break;
        }
    }

    public void Rect(int x, int y, int width, int height, SKColor color)
    {
        using var paint = Paint(color);
        _canvas.DrawRect(x, y, width, height, paint);
    }

    public byte[] ToPng()
    {
        _canvas.Flush();
        using var data = _bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static SKPaint Paint(SKColor color) => new() { Color = color, IsAntialias = false, Style = SKPaintStyle.Fill };

    public void Dispose()
    {
        _canvas.Dispose();
        _bitmap.Dispose();
    }
}
