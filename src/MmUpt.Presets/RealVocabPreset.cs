using MmUpt.Checkpoint;
using MmUpt.Processing.Tokenization;

namespace MmUpt.Presets;

/// <summary>
/// <c>mmupt init --preset real-vocab --tokenizer FILE</c>: a small random Qwen2.5-VL around Qwen's real tokenizer, so
/// every path runs on real ids (151,643 BPE tokens, added tokens at 151643–151664, <c>vocab_size</c> 151,936 as in
/// the released checkpoints, whose last ~270 embedding rows no token uses).
/// <para>
/// Size: hidden 32, tied head, 2 layers, 2 heads (GQA over 1 KV head), a 2-block vision tower. The embedding is
/// 151,936 × 32 = 4.86 M of the ≈ 4.9 M parameters, so model.safetensors is ≈ 19.5 MB (fp32); the tokenizer files
/// ≈ 7 MB.
/// </para>
/// The tokenizer is an input (fetched, never embedded: see tests/MmUpt.Testing/RealQwenTokenizer.cs). Qwen3's
/// tokenizer.json may be given: added tokens that are not Qwen2.5-VL's (Qwen3's <c>&lt;think&gt;</c> and
/// <c>&lt;tool_response&gt;</c> pairs, 151665–151668) are dropped, so such text is tokenized as ordinary text.
/// </summary>
public static class RealVocabPreset
{
    public const string Name = "real-vocab";

    /// <summary>Qwen2.5-VL's <c>vocab_size</c> (3B and 7B): the embedding rows, more than the tokenizer's ids.</summary>
    public const int VocabSize = 151_936;

    /// <summary>The Qwen2.5-VL tokenizer of a Qwen2/2.5/3 <c>tokenizer.json</c>, and the added tokens it dropped.</summary>
    public static (BpeModel Tokenizer, IReadOnlyList<AddedToken> Dropped) ReadTokenizer(string tokenizerJson)
    {
        var source = TokenizerJson.ReadModel(tokenizerJson);
        var byContent = source.AddedTokens.ToDictionary(a => a.Content, StringComparer.Ordinal);
        var kept = new List<AddedToken>();
        var first = byContent.GetValueOrDefault(QwenSpecialTokens.EndOfText)?.Id
                    ?? throw new CheckpointFormatException($"{tokenizerJson}: no added token {QwenSpecialTokens.EndOfText}");
        for (var i = 0; i < QwenSpecialTokens.All.Count; i++)
        {
            var (content, _) = QwenSpecialTokens.All[i];
            if (!byContent.TryGetValue(content, out var token) || token.Id != first + i)
                throw new CheckpointFormatException(
                    $"{tokenizerJson}: added token {content} must be at id {first + i} (Qwen2.5-VL's order), found {token?.Id.ToString() ?? "none"}");
            kept.Add(token);
        }
        var dropped = source.AddedTokens.Except(kept).ToList();
        if (dropped.Any(d => d.Id < first + kept.Count))
            throw new CheckpointFormatException($"{tokenizerJson}: added token {dropped[0].Content} sits among Qwen2.5-VL's added tokens");
        var model = new BpeModel(kept, source.Vocab, source.Merges) { Normalizer = source.Normalizer };
        if (model.Count > VocabSize)
            throw new CheckpointFormatException($"{tokenizerJson}: {model.Count} ids do not fit vocab_size {VocabSize}");
        return (model, dropped);
    }

    public static Qwen25VLConfig Build(BpeModel tokenizer) => CheckpointPreset.Config(VocabSize,
        hidden: 32, intermediate: 64, layers: 2, heads: 2, kvHeads: 1, mrope: [2, 3, 3], tie: true,
        vDepth: 2, vHidden: 32, vIntermediate: 64, vHeads: 2, window: 56, fullatt: [1], tokenId: tokenizer.IdOf);

    /// <summary>Writes the checkpoint folder: the Qwen2.5-VL tokenizer of <paramref name="tokenizerJson"/> and random weights.</summary>
    public static (Qwen25VLConfig Config, IReadOnlyList<AddedToken> Dropped) Write(string folder, string tokenizerJson, long seed)
    {
        var (bpe, dropped) = ReadTokenizer(tokenizerJson);
        var config = Build(bpe);
        CheckpointInitializer.WriteFolder(folder, config, bpe, seed);
        return (config, dropped);
    }
}
