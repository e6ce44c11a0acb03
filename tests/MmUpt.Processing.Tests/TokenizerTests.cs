using MmUpt.Presets;
using MmUpt.Processing.Tokenization;
using MmUpt.Testing;

namespace MmUpt.Processing.Tests;

public class TokenizerTests
{
    private static readonly Lazy<BpeModel> Model = new(() => BpeModel.Create(BpeTrainer.Train(SeedCorpus.Texts(), 300)));

    [Fact]
    public void SpecialTokensHaveFixedSmallIdsAndEncodeAsOneToken()
    {
        var tok = new ByteLevelBpeTokenizer(Model.Value);
        Assert.Equal(0, tok.AddedTokenId("<|endoftext|>"));
        Assert.Equal(12, tok.AddedTokenId("<|image_pad|>"));
        Assert.Equal([1, 2, 9, 12, 12, 10], tok.Encode("<|im_start|><|im_end|><|vision_start|><|image_pad|><|image_pad|><|vision_end|>"));
        Assert.Equal(22 + 256 + 300, tok.VocabCount);
    }

    [Theory]
    [InlineData("How many red circles are there in the image?")]
    [InlineData("So the sum is \\boxed{17}.\n\nDone  twice,   spaces")]
    [InlineData("Ünïcödé 世界 ✓ and emoji 🎲")]
    public void TextRoundTripsAndDigitsStayApart(string text)
    {
        var tok = new ByteLevelBpeTokenizer(Model.Value);
        var ids = tok.Encode(text);
        Assert.Equal(text, tok.Decode(ids));
        Assert.All(ids, id => Assert.InRange(id, 22, tok.VocabCount - 1));
    }

    [Fact]
    public void TrainedMergesCompressTaskTextAndDigitsAreSingleTokens()
    {
        var tok = new ByteLevelBpeTokenizer(Model.Value);
        var text = "Please reason step by step, and put your final answer within \\boxed{}.";
        Assert.True(tok.Encode(text).Length * 3 < text.Length, "task phrasing should be a few tokens");
        var digits = tok.Encode("12345");
        Assert.Equal(5, digits.Length);
    }

    [Fact]
    public void WrittenFilesLoadBackToTheSameEncoderAndCarryTheQwenConfig()
    {
        using var dir = new TempDir();
        TokenizerJson.Write(dir.Path, Model.Value);
        var loaded = ByteLevelBpeTokenizer.Load(dir.Path);
        var original = new ByteLevelBpeTokenizer(Model.Value);
        var prompt = QwenChatTemplate.UserPrompt("Count the blue squares.", images: 1);
        Assert.Equal(original.Encode(prompt), loaded.Encode(prompt));
        var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(dir.Path, "tokenizer_config.json")))!;
        Assert.Equal("Qwen2Tokenizer", config["tokenizer_class"]!.GetValue<string>());
        Assert.Equal("<|im_end|>", config["eos_token"]!.GetValue<string>());
        Assert.Contains("<|vision_start|><|image_pad|><|vision_end|>", config["chat_template"]!.GetValue<string>());
        Assert.True(config["added_tokens_decoder"]!["12"]!["special"]!.GetValue<bool>());
    }

    [Fact]
    public void ChatPromptRendersLikeTheTemplateAndExpandsImagePads()
    {
        var prompt = QwenChatTemplate.UserPrompt("Q?", images: 1);
        Assert.Equal("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n" +
                     "<|vision_start|><|image_pad|><|vision_end|>Q?<|im_end|>\n<|im_start|>assistant\n", prompt);
        var expanded = QwenChatTemplate.ExpandImagePads(prompt, [3]);
        Assert.Contains("<|vision_start|><|image_pad|><|image_pad|><|image_pad|><|vision_end|>", expanded);
    }

    [Fact]
    public void TrainingIsDeterministic() =>
        Assert.Equal(BpeTrainer.Train(SeedCorpus.Texts(), 120), BpeTrainer.Train(SeedCorpus.Texts(), 120));
}
