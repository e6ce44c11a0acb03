using System.Text;
using System.Text.RegularExpressions;
using MmUpt.Checkpoint;

namespace MmUpt.Processing.Tokenization;

/// <summary>
/// Encoder/decoder for the byte-level BPE <c>tokenizer.json</c> we write (and Qwen's own), with Hugging Face tokenizers'
/// semantics: added tokens are matched first on the raw text (longest first; Qwen's are all <c>normalized: false</c>),
/// the rest is normalised as the file declares (<see cref="TokenizerNormalizer"/>), split by
/// <see cref="QwenPreTokenizer"/> on code points, mapped to byte-level chars, and merged by merge rank (lowest rank
/// first, every occurrence left to right). Control characters, U+0000 included, are ordinary bytes. Checked against
/// Hugging Face's own implementation on Qwen's real vocabulary (tests/MmUpt.Processing.Tests/RealTokenizerTests).
/// </summary>
public sealed class ByteLevelBpeTokenizer
{
    private readonly BpeModel _model;
    private readonly Dictionary<(string, string), int> _ranks = new();
    private readonly Dictionary<int, string> _idToToken = new();
    private readonly Dictionary<string, int> _addedIds = new(StringComparer.Ordinal);
    private readonly HashSet<int> _special = new();
    private readonly Regex? _addedSplit;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int[]> _cache = new(StringComparer.Ordinal);

    public ByteLevelBpeTokenizer(BpeModel model)
    {
        _model = model;
        for (var i = 0; i < model.Merges.Count; i++) _ranks.TryAdd(model.Merges[i], i);
        foreach (var (tok, id) in model.Vocab) _idToToken[id] = tok;
        foreach (var a in model.AddedTokens)
        {
            _addedIds[a.Content] = a.Id;
            if (a.Special) _special.Add(a.Id);
        }
        if (model.AddedTokens.Count > 0)
        {
            var alternation = string.Join("|", model.AddedTokens.Select(a => a.Content).OrderByDescending(c => c.Length).Select(Regex.Escape));
            _addedSplit = new Regex("(" + alternation + ")", RegexOptions.CultureInvariant);
        }
    }

    public BpeModel Model => _model;

    public int VocabCount => _model.Count;

    public int AddedTokenId(string content) => _model.IdOf(content);

    public static ByteLevelBpeTokenizer Load(string folderOrFile) => new(TokenizerJson.ReadModel(folderOrFile));

    public int[] Encode(string text)
    {
        var ids = new List<int>();
        var parts = _addedSplit is null ? [text] : _addedSplit.Split(text);
        foreach (var part in parts)
        {
            if (part.Length == 0) continue;
            if (_addedIds.TryGetValue(part, out var added))
            {
                ids.Add(added);
                continue;
            }
            foreach (var piece in QwenPreTokenizer.Pieces(_model.Normalizer.Normalize(part))) ids.AddRange(EncodePiece(piece));
        }
        return ids.ToArray();
    }

    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false)
    {
        var sb = new StringBuilder();
        var bytes = new List<byte>();
        void Flush()
        {
            sb.Append(Encoding.UTF8.GetString(bytes.ToArray()));
            bytes.Clear();
        }
        foreach (var id in ids)
        {
            if (_model.AddedTokens.FirstOrDefault(a => a.Id == id) is { } added)
            {
                if (skipSpecialTokens && added.Special) continue;
                Flush();
                sb.Append(added.Content);
            }
            else if (_idToToken.TryGetValue(id, out var tok) && ByteLevelAlphabet.TryDecode(tok, bytes)) { }
            else throw new ArgumentOutOfRangeException(nameof(ids), $"token id {id} is not in the tokenizer (count {VocabCount})");
        }
        Flush();
        return sb.ToString();
    }

    private int[] EncodePiece(string piece)
    {
        if (_cache.TryGetValue(piece, out var cached)) return cached;
        var symbols = ByteLevelAlphabet.Encode(Encoding.UTF8.GetBytes(piece)).Select(c => c.ToString()).ToList();
        while (symbols.Count > 1)
        {
            var bestRank = int.MaxValue;
            (string, string) best = ("", "");
            for (var i = 0; i + 1 < symbols.Count; i++)
            {
                if (_ranks.TryGetValue((symbols[i], symbols[i + 1]), out var r) && r < bestRank)
                {
                    bestRank = r;
                    best = (symbols[i], symbols[i + 1]);
                }
            }
            if (bestRank == int.MaxValue) break;
            BpeTrainer.MergeInPlace(symbols, best.Item1, best.Item2);
        }
        var ids = symbols.Select(s => _model.Vocab.TryGetValue(s, out var id)
            ? id : throw new CheckpointFormatException($"tokenizer vocab lacks \"{s}\"")).ToArray();
        if (_cache.Count < 100_000) _cache[piece] = ids;
        return ids;
    }
}
