using Microsoft.ML.OnnxRuntimeGenAI;

namespace MmUpt.Onnx.Tests.Fixtures;

/// <summary>Small helpers over the ORT GenAI 0.18 C# API.</summary>
public static class Genai
{
    /// <summary>Keeps ORT GenAI initialised for the whole test process (disposing it shuts the library down).</summary>
    public static readonly OgaHandle Handle = new();

    /// <summary>The logits the last token was sampled from: read right after GenerateNextToken (notes §1.1).</summary>
    public static (float[] Data, long[] Shape) Logits(Generator generator)
    {
        using var t = generator.GetOutput("logits");
        return (t.GetData<float>().ToArray(), t.Shape());
    }

    public static GeneratorParams Greedy(GenAiModel model, int maxLength, int batch = 1)
    {
        var p = new GeneratorParams(model);
        p.SetSearchOption("max_length", maxLength);
        p.SetSearchOption("batch_size", batch);
        p.SetSearchOption("do_sample", false);
        return p;
    }

    public static double MaxAbsDiff(float[] a, float[] b) => a.Zip(b).Max(z => Math.Abs((double)z.First - z.Second));
}
