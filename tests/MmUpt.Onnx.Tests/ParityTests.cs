using Microsoft.ML.OnnxRuntimeGenAI;
using MmUpt.Onnx.Tests.Fixtures;
using Xunit.Abstractions;

namespace MmUpt.Onnx.Tests;

/// <summary>
/// Same weights, tokens and image ⇒ ORT GenAI's logits (GetOutput("logits") right after GenerateNextToken) equal the
/// TorchSharp model's within relative error 1e-4 (fp32), at prefill and at every decode step. The reference runs the
/// whole generated sequence in one forward, so the decode steps also check present = past + new.
/// </summary>
[Collection(ExportedTinyCollection.Name)]
public sealed class ParityTests(ExportedTiny tiny, ITestOutputHelper output)
{
    private const double Tolerance = 1e-4;
    private const int DecodeSteps = 5;
    private static readonly object Init = Genai.Handle;

    [Fact]
    public void Text_prompt_prefill_and_decode_steps()
    {
        using var model = new GenAiModel(tiny.Folder);
        using var tokenizer = new Tokenizer(model);
        var prompt = tokenizer.Encode(Prompts.User("how many circles are there?"));
        var steps = Run(model, p => { }, g => g.AppendTokenSequences(prompt), prompt[0].Length + DecodeSteps + 1, out var sequence);
        Compare(steps, TorchReference.Logits(tiny.Checkpoint, [sequence]));
    }

    [Fact]
    public void Image_prompt_prefill_and_decode_steps()
    {
        CompareImages(Prompts.User("describe", images: 1), tiny.Wide);
    }

    [Fact]
    public void Two_image_prompt_prefill_and_decode_steps()
    {
        CompareImages(Prompts.User("which is larger?", images: 2), tiny.Wide, tiny.Tall);
    }

    /// <summary>
    /// Batch of 2 right-padded prompts: prefill logits of both rows at their real positions, and the decode steps of both
    /// rows against each row run alone. (ORT GenAI 0.18 feeds qwen2_5_vl decode steps an all-ones mask; the decoder's KV
    /// validity channel keeps the shorter row's pad slots masked anyway.)
    /// </summary>
    [Fact]
    public void Right_padded_batch_prefill_and_decode_steps()
    {
        using var model = new GenAiModel(tiny.Folder);
        using var tokenizer = new Tokenizer(model);
        var prompts = tokenizer.EncodeBatch([Prompts.User("a longer question about the shapes in view"), Prompts.User("hi")]);
        var lengths = new[] { prompts[0].Length, prompts[1].Length };
        Assert.True(lengths[0] > lengths[1]);
        using var p = Genai.Greedy(model, lengths[0] + DecodeSteps + 1, batch: 2);
        using var generator = new Generator(model, p);
        generator.AppendTokenSequences(prompts);
        var steps = new List<float[]>();
        while (!generator.IsDone())
        {
            generator.GenerateNextToken();
            steps.Add(Genai.Logits(generator).Data);
        }
        var vocab = tiny.Config.VocabSize;
        var s = lengths[0];
        var padded = new long[2][];
        var mask = new long[2][];
        for (var b = 0; b < 2; b++)
        {
            var row = prompts[(ulong)b].ToArray();
            padded[b] = row.Select(t => (long)t).Concat(Enumerable.Repeat((long)tiny.Export.PadTokenId, s - row.Length)).ToArray();
            mask[b] = Enumerable.Range(0, s).Select(i => i < row.Length ? 1L : 0L).ToArray();
        }
        var reference = TorchReference.Logits(tiny.Checkpoint, padded, mask);
        for (var b = 0; b < 2; b++)
        {
            var real = lengths[b] * vocab;
            var error = TorchReference.RelativeError(steps[0].AsSpan(b * s * vocab, real), reference.AsSpan(b * s * vocab, real));
            output.WriteLine($"row {b} prefill ({lengths[b]} of {s} tokens): relative error {error:E2}");
            Assert.True(error <= Tolerance, $"row {b} prefill relative error {error:E2}");
        }
        for (var b = 0; b < 2; b++)
        {
            // The row's own tokens: its prompt without the padding, then what it generated.
            var generated = generator.GetSequence((ulong)b).ToArray()[s..];
            var alone = prompts[(ulong)b].ToArray().Concat(generated).Select(t => (long)t).ToArray();
            var rowReference = TorchReference.Logits(tiny.Checkpoint, [alone]);
            var checkedSteps = 0;
            for (var k = 1; k < steps.Count && !tiny.Config.EosTokenIds().Contains(generated[k - 1]); k++)
            {
                checkedSteps++;
                var error = TorchReference.RelativeError(steps[k].AsSpan(b * vocab, vocab),
                    rowReference.AsSpan((lengths[b] + k - 1) * vocab, vocab));
                output.WriteLine($"row {b} decode step {k}: relative error {error:E2}");
                Assert.True(error <= Tolerance, $"row {b} decode step {k} relative error {error:E2}");
            }
            // A row that ends at once (first token EOS) would compare nothing: such a run checks only the prefill.
            Assert.True(checkedSteps > 0, $"row {b} checked no decode step");
        }
    }

    /// <summary>An adapter of changed weights on the text export gives the TorchSharp logits of the changed checkpoint.</summary>
    [Fact]
    public void Adapter_of_changed_weights_matches_torchsharp_with_those_weights()
    {
        var baseFolder = MmUpt.Onnx.Export.Qwen25VLExporter.ExportTextOnly(tiny.Checkpoint, tiny.NewFolder("parity-text"),
            new MmUpt.Onnx.Export.Qwen25VLExportOptions { AllPositionLogits = true }).Folder;
        var (changed, delta) = ChangedWeights.Write(tiny, "parity-changed-hf");
        var adapter = Path.Combine(tiny.Root, "parity-v1.onnx_adapter");
        new MmUpt.Onnx.Export.Qwen25VLAdapterBuilder(tiny.Config)
            .WriteSingle(delta, adapter, adapterVersion: 1);
        using var model = new GenAiModel(baseFolder);
        using var tokenizer = new Tokenizer(model);
        using var adapters = new Adapters(model);
        adapters.LoadAdapter(adapter, "v1");
        var prompt = tokenizer.Encode(Prompts.User("what changed?"));
        var steps = Run(model, p => { }, g =>
        {
            g.SetActiveAdapter(adapters, "v1");
            g.AppendTokenSequences(prompt);
        }, prompt[0].Length + DecodeSteps + 1, out var sequence);
        var reference = TorchReference.Logits(changed, [sequence]);
        var baseline = TorchReference.Logits(tiny.Checkpoint, [sequence]);
        Assert.True(TorchReference.RelativeError(steps[0], baseline.AsSpan(0, steps[0].Length)) > 1e-3, "the change must be visible");
        Compare(steps, reference);
    }

    private void CompareImages(string prompt, params string[] images)
    {
        using var model = new GenAiModel(tiny.Folder);
        using var processor = new MultiModalProcessor(model);
        using var loaded = Images.Load(images);
        using var inputs = processor.ProcessImages(prompt, loaded);
        var steps = Run(model, p => { }, g => g.SetInputs(inputs), 512, out var sequence, maxSteps: DecodeSteps + 1);
        Compare(steps, TorchReference.Logits(tiny.Checkpoint, [sequence], null, images));
    }

    /// <summary>Greedy steps: the prefill logits [1,S,V], then one [1,1,V] per step; the final token sequence.</summary>
    private static List<float[]> Run(GenAiModel model, Action<GeneratorParams> configure, Action<Generator> feed, int maxLength,
        out long[] sequence, int maxSteps = int.MaxValue)
    {
        using var p = Genai.Greedy(model, maxLength);
        configure(p);
        using var generator = new Generator(model, p);
        feed(generator);
        var steps = new List<float[]>();
        while (!generator.IsDone() && steps.Count < maxSteps)
        {
            generator.GenerateNextToken();
            steps.Add(Genai.Logits(generator).Data);
        }
        sequence = generator.GetSequence(0).ToArray().Select(t => (long)t).ToArray();
        return steps;
    }

    /// <summary>steps[0] covers positions [0, S); steps[k] position S+k−1; reference is [1, S+n, V].</summary>
    private void Compare(List<float[]> steps, float[] reference)
    {
        var vocab = tiny.Config.VocabSize;
        var prefill = steps[0];
        var s = prefill.Length / vocab;
        var prefillError = TorchReference.RelativeError(prefill, reference.AsSpan(0, prefill.Length));
        output.WriteLine($"prefill ({s} tokens): relative error {prefillError:E2}");
        Assert.True(prefillError <= Tolerance, $"prefill relative error {prefillError:E2}");
        Assert.True(steps.Count > 2, $"needs decode steps, got {steps.Count - 1}");
        for (var k = 1; k < steps.Count; k++)
        {
            var error = TorchReference.RelativeError(steps[k], reference.AsSpan((s + k - 1) * vocab, vocab));
            output.WriteLine($"decode step {k}: relative error {error:E2}");
            Assert.True(error <= Tolerance, $"decode step {k} relative error {error:E2}");
        }
    }
}
