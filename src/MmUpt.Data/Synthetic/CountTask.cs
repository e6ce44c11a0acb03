namespace MmUpt.Data;

/// <summary>
/// "How many {colour} shapes are there?" — non-overlapping shapes at least <see cref="Gap"/> px apart, some of the
/// target colour (at least one) and at least one distractor of another colour.
/// Levels: 1 = 112×112, 3–5 shapes, 2 colours, circles and squares; 2 = 140×112, 4–7 shapes, 3 colours, three kinds;
/// 3 = 168×140, 6–10 shapes, 4 colours, smaller shapes.
/// </summary>
internal static class CountTask
{
    public const int Gap = 3;

    private static readonly (int W, int H, int MinShapes, int MaxShapes, int Colours, int Kinds, int MinSize, int MaxSize)[] Levels =
    [
        (112, 112, 3, 5, 2, 2, 16, 24),
        (140, 112, 4, 7, 3, 3, 14, 22),
        (168, 140, 6, 10, 4, 3, 12, 20),
    ];

    public static SyntheticTask Generate(SeededRandom rng, int level)
    {
        var p = Levels[level - 1];
        var colours = rng.Permutation(Palette.Shapes.Count).Take(p.Colours).ToArray();
        var total = rng.Next(p.MinShapes, p.MaxShapes);
        var target = rng.Next(1, total - 1);
        var shapes = new List<(int Colour, ShapeKind Kind, int Size)>();
        for (var i = 0; i < total; i++)
        {
            var colour = i < target ? colours[0] : colours[1 + rng.Next(p.Colours - 1)];
            shapes.Add((colour, (ShapeKind)rng.Next(p.Kinds), rng.Next(p.MinSize, p.MaxSize)));
        }
        var boxes = ShapeLayout.Place(rng, p.W, p.H, shapes.Select(s => s.Size).ToList(), Gap);
        using var canvas = new TaskCanvas(p.W, p.H);
        for (var i = 0; i < total; i++)
        {
            canvas.Shape(shapes[i].Kind, boxes[i].X, boxes[i].Y, shapes[i].Size, Palette.Shapes[shapes[i].Colour].Color);
        }
        var name = Palette.Shapes[colours[0]].Name;
        var composition = string.Join(",", shapes.Select(s => $"{Palette.Shapes[s.Colour].Name}-{s.Kind}").Order(StringComparer.Ordinal));
        return new SyntheticTask(SyntheticTaskKind.Count, level,
            $"{DataRecord.ImagePlaceholder}How many {name} shapes are there in the image?",
            target.ToString(System.Globalization.CultureInfo.InvariantCulture), canvas.ToPng(), p.W, p.H,
            $"count|{level}|{name}|{composition}");
    }
}
