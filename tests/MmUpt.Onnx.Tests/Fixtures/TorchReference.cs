using MmUpt.Testing;
using MmUpt.Checkpoint;
using MmUpt.Model;
using MmUpt.Processing.Images;
using MmUpt.Processing.Layout;
using static TorchSharp.torch;

namespace MmUpt.Onnx.Tests.Fixtures;

/// <summary>The TorchSharp Qwen2.5-VL (MmUpt.Model, fp32 CPU) as the logits reference.</summary>
public static class TorchReference
{
    /// <summary>
    /// Logits [B, L, V] flattened, for ids [B, L], optional mask [B, L] and images (encoded files, in order), with the
    /// never-sampled columns at −inf as the exported decoder has them (<see cref="NeverSampledTokens"/>).
    /// </summary>
    public static float[] Logits(string checkpoint, long[][] ids, long[][]? mask = null, params string[] images)
    {
        using var model = Qwen25VLModel.FromPretrained(checkpoint, ModelOptions.CpuFloat32);
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var b = ids.Length;
        var l = ids[0].Length;
        var idTensor = tensor(ids.SelectMany(r => r).ToArray(), [b, l]);
        var maskTensor = mask is null ? null : tensor(mask.SelectMany(r => r).ToArray(), [b, l]);
        Tensor? pixels = null;
        List<GridThw>? grids = null;
        if (images.Length > 0)
        {
            var processor = new QwenImageProcessor(ImageProcessorConfig.Load(checkpoint));
            var processed = images.Select(p => processor.Process(File.ReadAllBytes(p))).ToList();
            pixels = tensor(processed.SelectMany(p => p.PixelValues).ToArray(), [processed.Sum(p => (long)p.Patches), processed[0].PatchDim]);
            grids = processed.Select(p => new GridThw(p.GridT, p.GridH, p.GridW)).ToList();
        }
        var logits = model.forward(new Qwen25VLInputs(idTensor, maskTensor, pixels, grids));
        var values = logits.to(ScalarType.Float32).cpu().data<float>().ToArray();
        return LogitsParity.MaskNeverSampled(values, (int)logits.shape[^1], Qwen25VLConfigJson.Load(checkpoint));
    }

    public static double RelativeError(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected) => LogitsParity.RelativeError(actual, expected);
}
