using System.Globalization;
using System.Text.RegularExpressions;

namespace MmUpt.Data.Tests;

/// <summary>
/// Solves a rendered synthetic task from its pixels and question alone, with the tests' own rules: colour names as hue
/// ranges, the standard seven-segment table, pixel areas. Used to check the generator's answers.
/// </summary>
internal static class TaskReader
{
    private static readonly Dictionary<string, (double From, double To)> Hues = new()
    {
        ["red"] = (345, 15), ["orange"] = (18, 40), ["yellow"] = (42, 70), ["green"] = (90, 160), ["blue"] = (200, 250), ["purple"] = (260, 320),
    };

    // Standard seven-segment encodings (a top, b upper right, c lower right, d bottom, e lower left, f upper left, g middle).
    private static readonly Dictionary<string, int> SevenSegment = new()
    {
        ["abcdef"] = 0, ["bc"] = 1, ["abdeg"] = 2, ["abcdg"] = 3, ["bcfg"] = 4, ["acdfg"] = 5, ["acdefg"] = 6, ["abc"] = 7, ["abcdefg"] = 8, ["abcdfg"] = 9,
    };

    public static string Solve(string problem, byte[] png)
    {
        var image = new PixelImage(png);
        var colour = Regex.Match(problem, @"How many (\w+) shapes");
        if (colour.Success) return CountColour(image, colour.Groups[1].Value).ToString(CultureInfo.InvariantCulture);
        if (problem.Contains("sum of the digits", StringComparison.Ordinal)) return ReadDigits(image).Sum().ToString(CultureInfo.InvariantCulture);
        if (problem.Contains("Which shape is bigger", StringComparison.Ordinal)) return Bigger(image);
        throw new ArgumentException($"unknown task: {problem}");
    }

    public static int CountColour(PixelImage image, string name)
    {
        var (from, to) = Hues[name];
        return image.Components(c => PixelImage.Hue(c) is { } h && (from < to ? h >= from && h < to : h >= from || h < to)).Count;
    }

    public static List<int> ReadDigits(PixelImage image)
    {
        var digits = new List<int>();
        foreach (var blob in image.Components(c => c != new SkiaSharp.SKColor(255, 255, 255)).OrderBy(b => b.Min(p => p.X)))
        {
            int x0 = blob.Min(p => p.X), x1 = blob.Max(p => p.X), y0 = blob.Min(p => p.Y), y1 = blob.Max(p => p.Y);
            int h = y1 - y0 + 1, xm = (x0 + x1) / 2;
            var ink = blob.ToHashSet();
            if (x1 - x0 + 1 < h / 3)
            {
                digits.Add(1);
                continue;
            }
            var lit = string.Concat(new (char Seg, int X, int Y)[]
            {
                ('a', xm, y0 + 1), ('b', x1 - 1, y0 + h / 4), ('c', x1 - 1, y0 + 3 * h / 4), ('d', xm, y1 - 1),
                ('e', x0 + 1, y0 + 3 * h / 4), ('f', x0 + 1, y0 + h / 4), ('g', xm, y0 + h / 2),
            }.Where(s => ink.Contains((s.X, s.Y))).Select(s => s.Seg));
            digits.Add(SevenSegment.TryGetValue(lit, out var d) ? d : throw new InvalidDataException($"segments '{lit}' are no digit"));
        }
        return digits;
    }

    public static string Bigger(PixelImage image)
    {
        var blobs = image.Components(c => c != new SkiaSharp.SKColor(255, 255, 255));
        Assert.Equal(2, blobs.Count);
        var ordered = blobs.OrderBy(b => b.Average(p => p.X)).ToList();
        Assert.NotEqual(ordered[0].Count, ordered[1].Count);
        return ordered[0].Count > ordered[1].Count ? "left" : "right";
    }
}
