using MmUpt.Checkpoint;
namespace MmUpt.Processing.Tokenization;

/// <summary>
/// A byte-level BPE vocabulary: added tokens, the 256 byte tokens, then one token per merge, in id order.
/// Tokens are byte-level strings (see <see cref="ByteLevelAlphabet"/>).
/// </summary>
public sealed class BpeModel
{
    public IReadOnlyList<AddedToken> AddedTokens { get; }
    public IReadOnlyDictionary<string, int> Vocab { get; }
    public IReadOnlyList<(string Left, string Right)> Merges { get; }

    /// <summary>The tokenizer.json normaliser, applied between added tokens before the split (Qwen's: NFC).</summary>
    public TokenizerNormalizer Normalizer { get; init; } = TokenizerNormalizer.Nfc;

    /// <summary>Number of ids (vocab plus added tokens): the smallest valid <c>vocab_size</c>.</summary>
    public int Count { get; }

    public BpeModel(IReadOnlyList<AddedToken> added, IReadOnlyDictionary<string, int> vocab, IReadOnlyList<(string, string)> merges)
    {
        AddedTokens = added;
        Vocab = vocab;
        Merges = merges;
        Count = Math.Max(vocab.Count == 0 ? 0 : vocab.Values.Max() + 1, added.Count == 0 ? 0 : added.Max(a => a.Id) + 1);
        foreach (var (l, r) in merges)
        {
            if (!vocab.ContainsKey(l) || !vocab.ContainsKey(r) || !vocab.ContainsKey(l + r))
                throw new CheckpointFormatException($"tokenizer merge \"{l} {r}\" uses a token missing from the vocab");
        }
    }

    /// <summary>Qwen's added tokens at 0..21, bytes at 22..277, then the merged tokens in merge order.</summary>
    public static BpeModel Create(IReadOnlyList<(string Left, string Right)> merges)
    {
        var added = QwenSpecialTokens.All.Select((t, i) => new AddedToken(i, t.Content, t.Special)).ToList();
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        var next = added.Count;
        foreach (var b in ByteLevelAlphabet.Tokens) vocab[b] = next++;
        foreach (var (l, r) in merges) vocab.TryAdd(l + r, next++);
        return new BpeModel(added, vocab, merges);
    }

    public int IdOf(string addedTokenContent) =>
        AddedTokens.FirstOrDefault(a => a.Content == addedTokenContent)?.Id
        ?? throw new KeyNotFoundException($"tokenizer has no added token {addedTokenContent}");
}
