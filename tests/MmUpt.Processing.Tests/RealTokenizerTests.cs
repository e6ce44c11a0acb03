using MmUpt.Checkpoint;
using MmUpt.Presets;
using MmUpt.Processing.Tokenization;
using MmUpt.Testing;

namespace MmUpt.Processing.Tests;

/// <summary>
/// Qwen's real tokenizer (fetched by <see cref="RealQwenTokenizer"/>) against Hugging Face tokenizers' ids
/// (<see cref="ReferenceIds"/>): ASCII, LaTeX, CJK, emoji sequences, numbers, whitespace runs, CRLF, NFC cases, astral
/// letters and digits, control characters with U+0000, special tokens inside text. The rollout engine's path over the
/// same strings is checked in MmUpt.Rollout.Tests (RealVocabPromptTests).
/// </summary>
public class RealTokenizerTests
{
    private static readonly Lazy<ByteLevelBpeTokenizer> Tokenizer =
        new(() => new ByteLevelBpeTokenizer(RealVocabPreset.ReadTokenizer(RealQwenTokenizer.TokenizerJsonPath).Tokenizer));

    private static void AllAgree<T>(Func<ReferenceIds, T> expected, Func<ReferenceIds, T> actual)
    {
        var wrong = ReferenceIds.Disagreements(expected, actual);
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {ReferenceIds.All.Count} strings differ:\n{string.Join("\n", wrong)}");
    }

    [Fact]
    public void TheStringSetCoversEveryCase() =>
        Assert.True(ReferenceIds.All.Count >= 45 && ReferenceIds.All.Any(r => r.Text.Contains('\0')) && ReferenceIds.All.Any(r => r.Text.Contains("\r\n")));

    [Fact]
    public void EncodesLikeHuggingFace() => AllAgree(r => r.Ids, r => Tokenizer.Value.Encode(r.Text));

    [Fact]
    public void DecodesHuggingFaceIdsToTheNormalisedText() => AllAgree(r => r.Decoded, r => Tokenizer.Value.Decode(r.Ids));

    [Fact]
    public void TheLearnersPromptPathGivesHuggingFacesIds()
    {
        using var dir = new TempDir();
        RealVocabPreset.Write(dir.Path, RealQwenTokenizer.TokenizerJsonPath, seed: 1);
        var processor = Qwen25VLProcessor.Open(dir.Path);
        AllAgree(r => r.Chat, r => QwenChatTemplate.UserPrompt(r.Text, images: 0));
        AllAgree(r => r.ChatIds, r => processor.EncodeUserPrompt(r.Text, []));
    }

    [Fact]
    public void AstralLettersAndDigitsAreClassifiedByCodePoint()
    {
        // 𝑥 (U+1D465) is a letter: the space joins it. 𝟏 (U+1D7CF) is a digit: the space stays a piece of its own.
        Assert.Equal(["a", " 𝑥", " b"], QwenPreTokenizer.Pieces("a 𝑥 b"));
        Assert.Equal(["x", " ", "𝟏", "𝟐"], QwenPreTokenizer.Pieces("x 𝟏𝟐"));
        Assert.Equal(["I", "'ſ", "a"], QwenPreTokenizer.Pieces("I'ſa"));   // ſ case-folds to s: a contraction
    }

    [Fact]
    public void NfcAppliesEvenUnderInvariantGlobalization()
    {
        Assert.Equal("é K Ω Å", TokenizerNormalizer.Nfc.Normalize("e\u0301 \u212A \u2126 \u212B"));
        Assert.Equal("\uFFFDx", TokenizerNormalizer.Nfc.Normalize("\uD835x"));   // a lone surrogate is what UTF-8 makes of it
    }

    [Fact]
    public void ThePresetKeepsQwen25VLsAddedTokensAndDropsQwen3s()
    {
        var (bpe, dropped) = RealVocabPreset.ReadTokenizer(RealQwenTokenizer.TokenizerJsonPath);
        Assert.Equal(["<tool_response>", "</tool_response>", "<think>", "</think>"], dropped.Select(d => d.Content));
        Assert.Equal(151_643, bpe.Vocab.Count);
        Assert.Equal(151_665, bpe.Count);
        Assert.Equal(151_645, bpe.IdOf(QwenSpecialTokens.ImEnd));
        Assert.Equal(151_655, bpe.IdOf(QwenSpecialTokens.ImagePad));
        Assert.Equal("NFC", bpe.Normalizer.Name);
        var config = RealVocabPreset.Build(bpe);
        Assert.Equal((151_936, 151_652, 151_655, 151_645), (config.VocabSize, config.VisionStartTokenId, config.ImageTokenId, config.EosTokenIds()[0]));
    }

    [Theory]
    [InlineData("normalizer", "NFKC", "normalizer.type \"NFKC\"")]
    [InlineData("split", "Removed", "pre_tokenizer")]
    public void ATokenizerThisEncoderWouldMisreadIsRefused(string part, string value, string named)
    {
        using var dir = new TempDir();
        TokenizerJson.Write(dir.Path, BpeModel.Create([]));
        var path = Path.Combine(dir.Path, TokenizerJson.TokenizerFileName);
        var root = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!;
        if (part == "normalizer") root["normalizer"]!["type"] = value;
        else root["pre_tokenizer"]!["pretokenizers"]![0]!["behavior"] = value;
        File.WriteAllText(path, root.ToJsonString());
        var ex = Assert.Throws<CheckpointFormatException>(() => TokenizerJson.ReadModel(path));
        Assert.Contains(named, ex.Message);
    }
}
