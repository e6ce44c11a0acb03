using SkiaSharp;

namespace MmUpt.Data.Tests;

/// <summary>
/// A decoded PNG as RGB pixels plus connected-component analysis: the tests' own reading of the rendered tasks,
/// independent of how the generator chose its answers.
/// </summary>
internal sealed class PixelImage
{
    private readonly SKColor[] _pixels;

    public PixelImage(byte[] png)
    {
        using var bitmap = SKBitmap.Decode(png) ?? throw new InvalidDataException("not a decodable image");
        Width = bitmap.Width;
        Height = bitmap.Height;
        _pixels = bitmap.Pixels;
    }

    public int Width { get; }

    public int Height { get; }

    public SKColor this[int x, int y] => _pixels[y * Width + x];

    public bool IsBackground(int x, int y) => this[x, y] is { Red: 255, Green: 255, Blue: 255 };

    /// <summary>8-connected components of the pixels matching <paramref name="match"/>, as pixel lists.</summary>
    public List<List<(int X, int Y)>> Components(Func<SKColor, bool> match)
    {
        var seen = new bool[Width * Height];
        var components = new List<List<(int, int)>>();
        for (var start = 0; start < seen.Length; start++)
        {
            if (seen[start] || !match(_pixels[start])) continue;
            var component = new List<(int, int)>();
            var stack = new Stack<int>([start]);
            seen[start] = true;
            while (stack.TryPop(out var i))
            {
                int x = i % Width, y = i / Width;
                component.Add((x, y));
                for (var dy = -1; dy <= 1; dy++)
                for (var dx = -1; dx <= 1; dx++)
                {
                    int nx = x + dx, ny = y + dy;
                    if (nx < 0 || ny < 0 || nx >= Width || ny >= Height) continue;
                    var j = ny * Width + nx;
                    if (!seen[j] && match(_pixels[j]))
                    {
                        seen[j] = true;
                        stack.Push(j);
                    }
                }
            }
            components.Add(component);
        }
        return components;
    }

    /// <summary>Hue in degrees [0, 360) of a saturated colour, null for greys.</summary>
    public static double? Hue(SKColor c)
    {
        double r = c.Red, g = c.Green, b = c.Blue;
        double max = Math.Max(r, Math.Max(g, b)), min = Math.Min(r, Math.Min(g, b));
        if (max - min < 40) return null;
        var h = max == r ? 60 * ((g - b) / (max - min)) : max == g ? 60 * (2 + (b - r) / (max - min)) : 60 * (4 + (r - g) / (max - min));
        return h < 0 ? h + 360 : h;
    }
}
