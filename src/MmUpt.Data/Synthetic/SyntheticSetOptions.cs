namespace MmUpt.Data;

/// <summary>What <see cref="SyntheticSetBuilder"/> generates: kinds and levels drawn uniformly per task, counts per split.</summary>
public sealed class SyntheticSetOptions
{
    public IReadOnlyList<SyntheticTaskKind> Kinds { get; init; } = Enum.GetValues<SyntheticTaskKind>();

    public IReadOnlyList<int> Levels { get; init; } = [1, 2];

    public long Seed { get; init; } = 1;

    public int SftCount { get; init; }

    public int UptCount { get; init; }

    public int EvalCount { get; init; }

    /// <summary>Labelled dev tasks (held out like eval, from their own parameter range); 0 (default) = no dev split.</summary>
    public int DevCount { get; init; }

    /// <summary>The splits written: the three always, dev when asked for.</summary>
    public IReadOnlyList<DataSplit> Splits => DevCount > 0 ? Enum.GetValues<DataSplit>() : [DataSplit.Sft, DataSplit.Upt, DataSplit.Eval];

    /// <summary>Splits a total as 30% SFT, 50% UPT, 20% eval (rounded; eval takes the rest).</summary>
    public static (int Sft, int Upt, int Eval) DefaultCounts(int total)
    {
        var sft = (int)Math.Round(total * 0.3);
        var upt = (int)Math.Round(total * 0.5);
        return (sft, upt, total - sft - upt);
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad value.</summary>
    public void Validate()
    {
        if (Kinds.Count == 0) throw new ArgumentException("at least one kind is needed", nameof(Kinds));
        if (Levels.Count == 0) throw new ArgumentException("at least one level is needed", nameof(Levels));
        foreach (var level in Levels)
        {
            if (level is < SyntheticTasks.MinLevel or > SyntheticTasks.MaxLevel)
                throw new ArgumentException($"level {level} is not in {SyntheticTasks.MinLevel}..{SyntheticTasks.MaxLevel}", nameof(Levels));
        }
        if (SftCount < 0 || UptCount < 0 || EvalCount < 0 || DevCount < 0)
            throw new ArgumentException("split counts must be >= 0", nameof(SftCount));
        if (SftCount + UptCount + EvalCount + DevCount == 0)
            throw new ArgumentException("nothing to generate: all split counts are 0", nameof(SftCount));
    }
}
