using System.Text;

namespace MmUpt.Data;

/// <summary>
/// Generates the splits from one seed, disjoint by generation parameters: candidate j is drawn from
/// (seed, j), and its <see cref="SyntheticTask.Key"/> alone decides its split — FNV-1a of the key, mapped to [0, 1),
/// below 0.3 SFT, below 0.75 UPT, below 0.8 dev, else eval (dev-keyed candidates are dropped when no dev split is asked for). So a key belongs to one split for every seed and every count, and two runs
/// with different seeds can be mixed without leaking eval parameters into training. A candidate whose split is already
/// full is dropped. Output order is candidate order; ids are <c>SPLIT-NNNNNN</c>.
/// </summary>
public static class SyntheticSetBuilder
{
    public const double SftShare = 0.3;
    public const double UptShare = 0.45;
    public const double DevShare = 0.05;

    public static IEnumerable<(DataSplit Split, string Id, SyntheticTask Task)> Generate(SyntheticSetOptions options)
    {
        options.Validate();
        var want = new Dictionary<DataSplit, int>
        {
            [DataSplit.Sft] = options.SftCount, [DataSplit.Upt] = options.UptCount, [DataSplit.Eval] = options.EvalCount,
            [DataSplit.Dev] = options.DevCount,
        };
        var have = want.Keys.ToDictionary(s => s, _ => 0);
        var total = want.Values.Sum();
        var limit = 200L * total + 10_000;
        for (long j = 0; have.Sum(h => h.Value) < total; j++)
        {
            if (j >= limit)
            {
                var short_ = want.Keys.Where(s => have[s] < want[s]).Select(s => $"{s} {have[s]}/{want[s]}");
                throw new InvalidOperationException(
                    $"gave up after {limit} candidates ({string.Join(", ", short_)}): too few distinct tasks for these kinds and levels");
            }
            var rng = SeededRandom.For(options.Seed, j);
            var kind = rng.Pick(options.Kinds);
            var level = rng.Pick(options.Levels);
            var task = SyntheticTasks.Generate(kind, level, rng);
            var split = SplitOf(task.Key);
            if (have[split] < want[split])
            {
                yield return (split, $"{split.ToString().ToLowerInvariant()}-{have[split]:D6}", task);
                have[split]++;
            }
        }
    }

    /// <summary>The split a generation key belongs to, independent of seed and counts.</summary>
    public static DataSplit SplitOf(string key)
    {
        var u = (Fnv1a(key) >> 11) * (1.0 / (1UL << 53));
        return u < SftShare ? DataSplit.Sft
            : u < SftShare + UptShare ? DataSplit.Upt
            : u < SftShare + UptShare + DevShare ? DataSplit.Dev
            : DataSplit.Eval;
    }

    private static ulong Fnv1a(string s)
    {
        var h = 0xCBF29CE484222325UL;
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            h = (h ^ b) * 0x100000001B3UL;
        }
        // FNV's high bits mix poorly for short keys; one SplitMix finaliser spreads them.
        return SeededRandom.For((long)h).NextUInt64();
    }
}
