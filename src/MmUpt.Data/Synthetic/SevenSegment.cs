using SkiaSharp;

namespace MmUpt.Data;

/// <summary>
/// Seven-segment digits drawn as rectangles, since no font can be assumed on the machine. Segments a–g in the usual
/// layout (a top, b top-right, c bottom-right, d bottom, e bottom-left, f top-left, g middle) overlap at the corners, so
/// every digit is one connected blob spanning the full height.
/// </summary>
internal static class SevenSegment
{
    // Bit i = segment "abcdefg"[i].
    private static readonly int[] Segments =
    [
        0b0111111, 0b0000110, 0b1011011, 0b1001111, 0b1100110, 0b1101101, 0b1111101, 0b0000111, 0b1111111, 0b1101111,
    ];

    /// <summary>Draws <paramref name="digit"/> in the cell [x, x+width) × [y, y+height) with bars of <paramref name="thickness"/>.</summary>
    public static void Draw(TaskCanvas canvas, int digit, int x, int y, int width, int height, int thickness, SKColor ink)
    {
        var t = thickness;
        var upper = (height - t) / 2; // top of g, relative to y
        var on = Segments[digit];
        if ((on & 1 << 0) != 0) canvas.Rect(x, y, width, t, ink);                                  // a
        if ((on & 1 << 1) != 0) canvas.Rect(x + width - t, y, t, upper + t, ink);                  // b
        if ((on & 1 << 2) != 0) canvas.Rect(x + width - t, y + upper, t, height - upper, ink);     // c
        if ((on & 1 << 3) != 0) canvas.Rect(x, y + height - t, width, t, ink);                     // d
        if ((on & 1 << 4) != 0) canvas.Rect(x, y + upper, t, height - upper, ink);                 // e
        if ((on & 1 << 5) != 0) canvas.Rect(x, y, t, upper + t, ink);                              // f
        if ((on & 1 << 6) != 0) canvas.Rect(x, y + upper, width, t, ink);                          // g
    }
}
