using System.Globalization;

namespace MmUpt.Data;

/// <summary>
/// "What is the sum of the digits?" — seven-segment digits in one dark ink, spaced and jittered at random.
/// Levels: 1 = two digits on 112×56; 2 = three on 140×84; 3 = four on 168×84 (smaller gaps, more jitter).
/// </summary>
internal static class DigitSumTask
{
    private static readonly (int W, int H, int Digits, int CellW, int CellH, int Thick, int MinGap, int MaxGap)[] Levels =
    [
        (112, 56, 2, 18, 36, 4, 8, 16),
        (140, 84, 3, 22, 44, 5, 6, 14),
        (168, 84, 4, 22, 44, 5, 5, 12),
    ];

    public static SyntheticTask Generate(SeededRandom rng, int level)
    {
        var p = Levels[level - 1];
        var digits = Enumerable.Range(0, p.Digits).Select(_ => rng.Next(10)).ToArray();
        var gaps = Enumerable.Range(0, p.Digits - 1).Select(_ => rng.Next(p.MinGap, p.MaxGap)).ToArray();
        var span = p.Digits * p.CellW + gaps.Sum();
        var x = rng.Next(2, p.W - 2 - span);
        var ink = rng.Pick(Palette.Inks);
        using var canvas = new TaskCanvas(p.W, p.H);
        for (var i = 0; i < p.Digits; i++)
        {
            var y = rng.Next(2, p.H - 2 - p.CellH);
            SevenSegment.Draw(canvas, digits[i], x, y, p.CellW, p.CellH, p.Thick, ink);
            x += p.CellW + (i < gaps.Length ? gaps[i] : 0);
        }
        return new SyntheticTask(SyntheticTaskKind.DigitSum, level,
            $"{DataRecord.ImagePlaceholder}What is the sum of the digits in the image?",
            digits.Sum().ToString(CultureInfo.InvariantCulture), canvas.ToPng(), p.W, p.H,
            $"add|{level}|{string.Join("-", digits)}");
    }
}
