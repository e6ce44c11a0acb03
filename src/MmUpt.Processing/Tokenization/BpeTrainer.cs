namespace MmUpt.Processing.Tokenization;

/// <summary>
/// Classic BPE training over byte-level pieces: repeatedly merge the most frequent adjacent pair (ties broken by the
/// ordinal order of the pair, so training is deterministic) until <c>maxMerges</c> or no pair occurs twice.
/// Pieces come from <see cref="QwenPreTokenizer"/>, so merges never cross a piece boundary, exactly as encoding does.
/// </summary>
public static class BpeTrainer
{
    public static IReadOnlyList<(string Left, string Right)> Train(IEnumerable<string> texts, int maxMerges)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            foreach (var piece in QwenPreTokenizer.Pieces(TokenizerNormalizer.Nfc.Normalize(text)))
            {
                var key = ByteLevelAlphabet.Encode(System.Text.Encoding.UTF8.GetBytes(piece));
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
        }
        var words = counts.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => (Symbols: kv.Key.Select(c => c.ToString()).ToList(), Count: kv.Value)).ToList();
        var merges = new List<(string, string)>();
        while (merges.Count < maxMerges)
        {
            var pairs = new Dictionary<(string, string), int>();
            foreach (var (symbols, count) in words)
            {
                for (var i = 0; i + 1 < symbols.Count; i++)
                {
                    var p = (symbols[i], symbols[i + 1]);
                    pairs[p] = pairs.GetValueOrDefault(p) + count;
                }
            }
            if (pairs.Count == 0) break;
            var best = pairs.OrderByDescending(kv => kv.Value)
                .ThenBy(kv => kv.Key.Item1, StringComparer.Ordinal).ThenBy(kv => kv.Key.Item2, StringComparer.Ordinal).First();
            if (best.Value < 2) break;
            merges.Add(best.Key);
            foreach (var (symbols, _) in words) MergeInPlace(symbols, best.Key.Item1, best.Key.Item2);
        }
        return merges;
    }

    internal static void MergeInPlace(List<string> symbols, string left, string right)
    {
        for (var i = 0; i + 1 < symbols.Count; i++)
        {
            if (symbols[i] == left && symbols[i + 1] == right)
            {
                symbols[i] = left + right;
                symbols.RemoveAt(i + 1);
            }
        }
    }
}
