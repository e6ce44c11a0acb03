namespace MmUpt.Data;

/// <summary>Generates one task of a kind and level (1–3) from a generator; the same generator state gives the same task.</summary>
public static class SyntheticTasks
{
    public const int MinLevel = 1;
    public const int MaxLevel = 3;

    public static SyntheticTask Generate(SyntheticTaskKind kind, int level, SeededRandom rng)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(level, MinLevel);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, MaxLevel);
        return kind switch
        {
            SyntheticTaskKind.Count => CountTask.Generate(rng, level),
            SyntheticTaskKind.DigitSum => DigitSumTask.Generate(rng, level),
            SyntheticTaskKind.Compare => CompareTask.Generate(rng, level),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    /// <summary>The CLI names: count, add, compare.</summary>
    public static string Name(SyntheticTaskKind kind) => kind switch
    {
        SyntheticTaskKind.Count => "count",
        SyntheticTaskKind.DigitSum => "add",
        _ => "compare",
    };

    public static bool TryParse(string name, out SyntheticTaskKind kind)
    {
        foreach (var k in Enum.GetValues<SyntheticTaskKind>())
        {
            if (string.Equals(Name(k), name.Trim(), StringComparison.OrdinalIgnoreCase) || string.Equals(k.ToString(), name.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                kind = k;
                return true;
            }
        }
        kind = default;
        return false;
    }
}
