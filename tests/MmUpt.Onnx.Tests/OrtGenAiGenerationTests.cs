using Microsoft.ML.OnnxRuntimeGenAI;
using MmUpt.Onnx.Tests.Fixtures;

namespace MmUpt.Onnx.Tests;

/// <summary>ORT GenAI 0.18 loads the exported folder and generates from text, one image and two images of different sizes.</summary>
[Collection(ExportedTinyCollection.Name)]
public sealed class OrtGenAiGenerationTests(ExportedTiny tiny)
{
    private static readonly object Init = Genai.Handle;

    [Fact]
    public void Generates_from_a_text_prompt_with_logits_over_the_whole_vocabulary()
    {
        using var model = new GenAiModel(tiny.Folder);
        using var tokenizer = new Tokenizer(model);
        var prompt = tokenizer.Encode(Prompts.User("count the red squares"));
        var promptLength = prompt[0].Length;
        using var p = Genai.Greedy(model, promptLength + 6);
        using var generator = new Generator(model, p);
        generator.AppendTokenSequences(prompt);
        var steps = 0;
        while (!generator.IsDone())
        {
            generator.GenerateNextToken();
            var (logits, shape) = Genai.Logits(generator);
            Assert.Equal([1L, steps == 0 ? promptLength : 1, tiny.Config.VocabSize], shape);
            AssertFiniteExceptNeverSampled(logits);
            // Greedy: the chosen token is the argmax of the last position's logits.
            var last = logits.AsSpan(logits.Length - tiny.Config.VocabSize);
            Assert.Equal(ArgMax(last), generator.GetNextTokens()[0]);
            steps++;
        }
        Assert.Equal(6, steps);
        Assert.Equal(promptLength + 6, generator.GetSequence(0).Length);
    }

    [Fact]
    public void Generates_from_one_non_square_image_and_the_image_changes_the_logits()
    {
        var (shape, wide) = Prefill(Prompts.User("what is shown?", images: 1), tiny.Wide);
        var textTokens = TextTokenCount(Prompts.User("what is shown?", images: 1));
        Assert.Equal([1L, textTokens - 1 + 15, tiny.Config.VocabSize], shape);   // 140×84 px → 6×10 patches → 15 tokens
        var (_, other) = Prefill(Prompts.User("what is shown?", images: 1), tiny.Other);
        Assert.True(Genai.MaxAbsDiff(wide, other) > 1e-3, "a different image must change the logits");
        AssertFiniteExceptNeverSampled(wide);
    }

    [Fact]
    public void Generates_from_two_images_of_different_sizes()
    {
        var prompt = Prompts.User("compare the pictures", images: 2);
        var (shape, both) = Prefill(prompt, tiny.Wide, tiny.Tall);
        Assert.Equal([1L, TextTokenCount(prompt) - 2 + 15 + 8, tiny.Config.VocabSize], shape);
        var (_, swapped) = Prefill(prompt, tiny.Tall, tiny.Wide);
        Assert.True(Genai.MaxAbsDiff(both.AsSpan(both.Length - tiny.Config.VocabSize).ToArray(),
            swapped.AsSpan(swapped.Length - tiny.Config.VocabSize).ToArray()) > 1e-4, "image order must matter");
    }

    private (long[] Shape, float[] Logits) Prefill(string prompt, params string[] images)
    {
        using var model = new GenAiModel(tiny.Folder);
        using var processor = new MultiModalProcessor(model);
        using var loaded = Images.Load(images);
        using var inputs = processor.ProcessImages(prompt, loaded);
        using var p = Genai.Greedy(model, 512);
        using var generator = new Generator(model, p);
        generator.SetInputs(inputs);
        generator.GenerateNextToken();
        var (logits, shape) = Genai.Logits(generator);
        generator.GenerateNextToken();
        var (next, nextShape) = Genai.Logits(generator);
        Assert.Equal([1L, 1, tiny.Config.VocabSize], nextShape);
        AssertFiniteExceptNeverSampled(next);
        return (shape, logits);
    }

    private int TextTokenCount(string prompt)
    {
        using var model = new GenAiModel(tiny.Folder);
        using var tokenizer = new Tokenizer(model);
        return tokenizer.Encode(prompt)[0].Length;
    }

    private static int ArgMax(ReadOnlySpan<float> xs)
    {
        var best = 0;
        for (var i = 1; i < xs.Length; i++)
        {
            if (xs[i] > xs[best]) best = i;
        }
        return best;
    }

    // The exported decoder pins the never-sampled columns at −inf; everything else must be finite.
    private void AssertFiniteExceptNeverSampled(float[] logits)
    {
        var never = MmUpt.Checkpoint.NeverSampledTokens.Ids(tiny.Config).ToHashSet();
        var vocab = tiny.Config.VocabSize;
        for (var i = 0; i < logits.Length; i++)
        {
            Assert.True(never.Contains(i % vocab) ? float.IsNegativeInfinity(logits[i]) : float.IsFinite(logits[i]), $"logit {i}: {logits[i]}");
        }
    }
}
