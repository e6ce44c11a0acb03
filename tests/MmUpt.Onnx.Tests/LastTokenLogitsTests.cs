using Microsoft.ML.OnnxRuntimeGenAI;
using MmUpt.Onnx.Export;
using MmUpt.Onnx.Tests.Fixtures;

namespace MmUpt.Onnx.Tests;

/// <summary>
/// The default export emits only each row's last real token's logits ([B,1,V]); ORT GenAI treats it as pruned. Its
/// logits must equal the all-positions export's logits at that token, for right-padded rows too, at prefill and at
/// every decode step, and both must sample the same tokens.
/// </summary>
[Collection(ExportedTinyCollection.Name)]
public sealed class LastTokenLogitsTests(ExportedTiny tiny)
{
    private static readonly object Init = Genai.Handle;

    [Fact]
    public void Last_token_logits_equal_the_full_logits_at_each_rows_last_real_token()
    {
        var pruned = Qwen25VLExporter.Export(tiny.Checkpoint, tiny.NewFolder("last-token")).Folder;
        string[] texts = [Prompts.User("a longer question about the shapes in view"), Prompts.User("hi")];
        var (fullSteps, fullTokens, lengths) = Greedy(tiny.Folder, texts);
        var (prunedSteps, prunedTokens, _) = Greedy(pruned, texts);
        var vocab = tiny.Config.VocabSize;

        Assert.Equal(fullTokens, prunedTokens);
        Assert.Equal(fullSteps.Count, prunedSteps.Count);
        Assert.Equal(2 * vocab, prunedSteps[0].Length);                  // [2,1,V] at prefill
        var s = lengths.Max();
        for (var b = 0; b < 2; b++)
        {
            var last = fullSteps[0].AsSpan((b * s + lengths[b] - 1) * vocab, vocab);
            Assert.True(TorchReference.RelativeError(prunedSteps[0].AsSpan(b * vocab, vocab), last) <= 1e-6, $"row {b} prefill");
            for (var k = 1; k < fullSteps.Count; k++)
            {
                Assert.True(TorchReference.RelativeError(prunedSteps[k].AsSpan(b * vocab, vocab), fullSteps[k].AsSpan(b * vocab, vocab)) <= 1e-6,
                    $"row {b} decode step {k}");
            }
        }
    }

    private static (List<float[]> Steps, string Tokens, int[] Lengths) Greedy(string folder, string[] texts)
    {
        using var model = new GenAiModel(folder);
        using var tokenizer = new Tokenizer(model);
        var prompts = tokenizer.EncodeBatch(texts);
        var lengths = new[] { prompts[0].Length, prompts[1].Length };
        using var p = Genai.Greedy(model, lengths.Max() + 5, batch: 2);
        using var generator = new Generator(model, p);
        generator.AppendTokenSequences(prompts);
        var steps = new List<float[]>();
        while (!generator.IsDone())
        {
            generator.GenerateNextToken();
            steps.Add(Genai.Logits(generator).Data);
        }
        return (steps, string.Join('|', Enumerable.Range(0, 2).Select(b => string.Join(',', generator.GetSequence((ulong)b).ToArray()))), lengths);
    }
}
