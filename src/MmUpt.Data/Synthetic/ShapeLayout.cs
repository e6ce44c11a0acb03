namespace MmUpt.Data;

/// <summary>Places squares of given sizes inside a canvas so that any two are at least <c>gap</c> px apart (rejection sampling).</summary>
internal static class ShapeLayout
{
    private const int Margin = 2;
    private const int Tries = 400;

    public static List<(int X, int Y)> Place(SeededRandom rng, int width, int height, IReadOnlyList<int> sizes, int gap)
    {
        for (var layout = 0; layout < 50; layout++)
        {
            var placed = new List<(int X, int Y, int S)>();
            foreach (var s in sizes)
            {
                for (var t = 0; t < Tries; t++)
                {
                    var x = rng.Next(Margin, width - Margin - s);
                    var y = rng.Next(Margin, height - Margin - s);
                    if (placed.All(b => x + s + gap <= b.X || b.X + b.S + gap <= x || y + s + gap <= b.Y || b.Y + b.S + gap <= y))
                    {
                        placed.Add((x, y, s));
                        break;
                    }
                }
            }
            if (placed.Count == sizes.Count)
            {
                return placed.Select(b => (b.X, b.Y)).ToList();
            }
        }
        throw new InvalidOperationException($"cannot place {sizes.Count} shapes in {width}x{height}");
    }
}
