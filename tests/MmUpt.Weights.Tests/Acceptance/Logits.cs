using Microsoft.ML.OnnxRuntimeGenAI;
using MmUpt.Checkpoint;
using MmUpt.Model;
using MmUpt.Processing.Images;
using MmUpt.Processing.Layout;
using MmUpt.Testing;
using static TorchSharp.torch;

namespace MmUpt.Weights.Tests.Acceptance;

/// <summary>
/// Logits of both engines for the parity checks: ORT GenAI's greedy steps (GetOutput("logits") right after
/// GenerateNextToken: the prefill's [S,V], then [V] per step) and the TorchSharp model's [L,V] over the final sequence.
/// </summary>
public static class Logits
{
    /// <summary>Keeps ORT GenAI initialised for the test process (disposing it shuts the library down).</summary>
    public static readonly OgaHandle Handle = new();

    public const int DecodeSteps = 4;

    public static (List<float[]> Steps, long[] Sequence) OrtGenAi(string modelFolder, string prompt, string? image)
    {
        using var model = new GenAiModel(modelFolder);
        using var p = new GeneratorParams(model);
        p.SetSearchOption("max_length", 512);
        p.SetSearchOption("do_sample", false);
        using var generator = new Microsoft.ML.OnnxRuntimeGenAI.Generator(model, p);
        if (image is null)
        {
            using var tokenizer = new Tokenizer(model);
            using var tokens = tokenizer.Encode(prompt);
            generator.AppendTokenSequences(tokens);
        }
        else
        {
            using var processor = new MultiModalProcessor(model);
            using var images = Images.Load([image]);
            using var inputs = processor.ProcessImages(prompt, images);
            generator.SetInputs(inputs);
        }
        var steps = new List<float[]>();
        while (!generator.IsDone() && steps.Count <= DecodeSteps)
        {
            generator.GenerateNextToken();
            using var logits = generator.GetOutput("logits");
            steps.Add(logits.GetData<float>().ToArray());
        }
        return (steps, generator.GetSequence(0).ToArray().Select(t => (long)t).ToArray());
    }

    public static float[] TorchSharp(Qwen25VLForConditionalGeneration model, string checkpoint, long[] sequence, string? image)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        TorchSharp.torch.Tensor? pixels = null;
        List<GridThw>? grids = null;
        if (image is not null)
        {
            var processed = new QwenImageProcessor(ImageProcessorConfig.Load(checkpoint)).Process(File.ReadAllBytes(image));
            pixels = tensor(processed.PixelValues, [processed.Patches, processed.PatchDim]);
            grids = [new GridThw(processed.GridT, processed.GridH, processed.GridW)];
        }
        var logits = model.forward(new Qwen25VLInputs(tensor(sequence, [1, sequence.Length]), null, pixels, grids));
        return LogitsParity.MaskNeverSampled(logits.cpu().data<float>().ToArray(), (int)logits.shape[^1], model.Config);
    }

    /// <summary>The largest relative error (max |a − b| / max |b|) of every ORT GenAI step against the reference positions.</summary>
    public static double WorstRelativeError(List<float[]> steps, float[] reference, int vocab)
    {
        var prompt = steps[0].Length / vocab;
        var worst = RelativeError(steps[0], reference.AsSpan(0, steps[0].Length));
        for (var k = 1; k < steps.Count; k++)
        {
            worst = Math.Max(worst, RelativeError(steps[k], reference.AsSpan((prompt + k - 1) * vocab, vocab)));
        }
        return worst;
    }

    public static double RelativeError(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected) => LogitsParity.RelativeError(actual, expected);
}
