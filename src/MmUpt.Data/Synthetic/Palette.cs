using SkiaSharp;

namespace MmUpt.Data;

/// <summary>
/// Named colours with well separated hues (0°, 29°, 50°, 129°, 227°, 282°) so that a colour is one word to the model
/// and unambiguous in pixels. Rendering is not antialiased, so every shape pixel has exactly its colour.
/// </summary>
public static class Palette
{
    public static readonly SKColor Background = new(255, 255, 255);

    public static readonly IReadOnlyList<(string Name, SKColor Color)> Shapes =
    [
        ("red", new SKColor(220, 30, 30)),
        ("orange", new SKColor(245, 130, 20)),
        ("yellow", new SKColor(235, 200, 20)),
        ("green", new SKColor(30, 160, 50)),
        ("blue", new SKColor(30, 70, 220)),
        ("purple", new SKColor(140, 50, 180)),
    ];

    /// <summary>Dark inks for digits, all far from white.</summary>
    public static readonly IReadOnlyList<SKColor> Inks =
    [
        new(20, 20, 20), new(20, 30, 110), new(10, 90, 30), new(120, 20, 20),
    ];
}
