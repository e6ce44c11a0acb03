namespace MmUpt.Data;

/// <summary>
/// "Which shape is bigger, the left one or the right one?" — one shape in each half; bigger means larger area, and the
/// area ratio (computed from the integer sizes actually drawn) is at least the level's minimum.
/// Levels: 1 = 112×56, same kind and colour, ratio 2–3; 2 = 140×84, same kind, two colours, ratio 1.5–2;
/// 3 = 168×84, different kinds and colours, ratio 1.25–1.5.
/// </summary>
internal static class CompareTask
{
    private const int MinSize = 10;

    private static readonly (int W, int H, double MinRatio, double MaxRatio, bool SameKind, bool SameColour)[] Levels =
    [
        (112, 56, 2.0, 3.0, true, true),
        (140, 84, 1.5, 2.0, true, false),
        (168, 84, 1.25, 1.5, false, false),
    ];

    public static SyntheticTask Generate(SeededRandom rng, int level)
    {
        var p = Levels[level - 1];
        var maxSize = Math.Min(p.W / 2, p.H) - 6;
        var colours = rng.Permutation(Palette.Shapes.Count);
        for (var attempt = 0; ; attempt++)
        {
            var bigKind = (ShapeKind)rng.Next(3);
            var smallKind = p.SameKind ? bigKind : (ShapeKind)((int)(bigKind + 1 + rng.Next(2)) % 3);
            var bigSize = rng.Next(maxSize * 2 / 3, maxSize);
            var wanted = TaskCanvas.Area(bigKind, bigSize) / (p.MinRatio + rng.NextDouble() * (p.MaxRatio - p.MinRatio));
            var smallSize = (int)Math.Round(Math.Sqrt(wanted / TaskCanvas.Area(smallKind, 1)));
            var ratio = TaskCanvas.Area(bigKind, bigSize) / TaskCanvas.Area(smallKind, smallSize);
            if (smallSize < MinSize || smallSize > maxSize || ratio < p.MinRatio || ratio > p.MaxRatio)
            {
                if (attempt > 100) throw new InvalidOperationException($"compare level {level}: no sizes fit");
                continue;
            }
            var bigLeft = rng.Next(2) == 0;
            var (leftKind, leftSize, rightKind, rightSize) = bigLeft
                ? (bigKind, bigSize, smallKind, smallSize)
                : (smallKind, smallSize, bigKind, bigSize);
            var leftColour = Palette.Shapes[colours[0]];
            var rightColour = p.SameColour ? leftColour : Palette.Shapes[colours[1]];
            var half = p.W / 2;
            using var canvas = new TaskCanvas(p.W, p.H);
            canvas.Shape(leftKind, rng.Next(2, half - 2 - leftSize), rng.Next(2, p.H - 2 - leftSize), leftSize, leftColour.Color);
            canvas.Shape(rightKind, half + rng.Next(2, half - 2 - rightSize), rng.Next(2, p.H - 2 - rightSize), rightSize, rightColour.Color);
            var answer = bigLeft ? "left" : "right";
            return new SyntheticTask(SyntheticTaskKind.Compare, level,
                $"{DataRecord.ImagePlaceholder}Which shape is bigger, the left one or the right one? Answer left or right.",
                answer, canvas.ToPng(), p.W, p.H,
                $"compare|{level}|{leftKind}{leftSize}-{leftColour.Name}|{rightKind}{rightSize}-{rightColour.Name}");
        }
    }
}
