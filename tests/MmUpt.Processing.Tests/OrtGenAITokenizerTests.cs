using Microsoft.ML.OnnxRuntimeGenAI;
using MmUpt.Presets;
using MmUpt.Processing.Tokenization;
using MmUpt.Testing;

namespace MmUpt.Processing.Tests;

/// <summary>The files we write must tokenize identically in ORT GenAI 0.18 (the sampler) and in our encoder (the learner).</summary>
public class OrtGenAITokenizerTests
{
    private static readonly OgaHandle Handle = new();

    [Fact]
    public void OrtGenAIEncodesAndDecodesLikeOurEncoder()
    {
        GC.KeepAlive(Handle);
        using var dir = new TempDir();
        var bpe = BpeModel.Create(BpeTrainer.Train(SeedCorpus.Texts(), 300));
        TokenizerJson.Write(dir.Path, bpe);
        // ORT GenAI's Tokenizer(dir) reads genai_config.json; nothing but the tokenizer is loaded from it.
        File.WriteAllText(Path.Combine(dir.Path, "genai_config.json"),
            "{\"model\": {\"type\": \"qwen2\", \"vocab_size\": " + bpe.Count + ", \"context_length\": 4096, " +
            "\"bos_token_id\": 0, \"eos_token_id\": [2, 0], \"pad_token_id\": 0, \"decoder\": {\"filename\": \"model.onnx\", " +
            "\"session_options\": {}, \"hidden_size\": 8, \"num_attention_heads\": 1, \"num_key_value_heads\": 1, " +
            "\"head_size\": 8, \"num_hidden_layers\": 1}}}");
        using var ort = new Tokenizer(dir.Path);
        var ours = new ByteLevelBpeTokenizer(bpe);
        string[] texts =
        [
            QwenChatTemplate.UserPrompt("How many red circles are there in the image? Please reason step by step, and put your final answer within \\boxed{}.", 1),
            "So the sum is \\boxed{17}.\n\nDone  twice,   spaces\t tab",
            "Ünïcödé 世界 ✓ and emoji 🎲 I'm you'LL 3.14159 \\frac{1}{2}",
            "<|im_start|>user\nabc<|im_end|>\n<|endoftext|><tool_call>x</tool_call>",
        ];
        foreach (var text in texts)
        {
            var ids = ours.Encode(text);
            Assert.Equal(ids, ort.Encode(text)[0].ToArray());
            // ORT GenAI decodes with skip_special_tokens = true.
            Assert.Equal(ours.Decode(ids, skipSpecialTokens: true), ort.Decode(ids));
        }
    }
}
