using Microsoft.ML.OnnxRuntimeGenAI;
using MmUpt.Checkpoint.Safetensors;
using MmUpt.Onnx.Export;
using MmUpt.Onnx.Graph;
using MmUpt.Onnx.Proto;
using MmUpt.Onnx.Tests.Fixtures;

namespace MmUpt.Onnx.Tests;

/// <summary>
/// fp16/bf16 exports store rounded weights and compute in fp32, so their logits equal those of an fp32 export of the
/// same checkpoint with its weights rounded beforehand (an expectation computed without the dtype path).
/// </summary>
[Collection(ExportedTinyCollection.Name)]
public sealed class ExportDtypeTests(ExportedTiny tiny)
{
    private static readonly object Init = Genai.Handle;

    [Theory]
    [InlineData(ExportDtype.Fp16)]
    [InlineData(ExportDtype.Bf16)]
    public void Half_precision_export_matches_fp32_export_of_rounded_weights(ExportDtype dtype)
    {
        var half = Qwen25VLExporter.Export(tiny.Checkpoint, tiny.NewFolder($"{dtype}"), new Qwen25VLExportOptions { Dtype = dtype });
        var rounded = Qwen25VLExporter.Export(WriteRounded(dtype), tiny.NewFolder($"{dtype}-rounded-onnx"));
        var stored = dtype == ExportDtype.Fp16 ? TensorProto.Types.DataType.Float16 : TensorProto.Types.DataType.Bfloat16;
        var decoder = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(half.Folder, "decoder.onnx")));
        Assert.Equal((int)stored, decoder.Graph.Initializer.Single(i => i.Name == "lm_head.MatMul.weight").DataType);
        var expected = Logits(rounded.Folder);
        var actual = Logits(half.Folder);
        Assert.True(Genai.MaxAbsDiff(expected, actual) <= 1e-5, $"max diff {Genai.MaxAbsDiff(expected, actual)}");
        Assert.True(Genai.MaxAbsDiff(Logits(tiny.Folder), actual) > 0, "rounding must be visible");
    }

    private string WriteRounded(ExportDtype dtype)
    {
        var folder = tiny.NewFolder($"{dtype}-rounded-hf");
        Directory.CreateDirectory(folder);
        foreach (var f in Directory.GetFiles(tiny.Checkpoint).Where(f => !f.EndsWith(".safetensors", StringComparison.Ordinal)))
        {
            File.Copy(f, Path.Combine(folder, Path.GetFileName(f)));
        }
        using var checkpoint = SafetensorsCheckpoint.Open(tiny.Checkpoint);
        var tensors = checkpoint.Names.Order(StringComparer.Ordinal).Select(n =>
        {
            var v = checkpoint.ReadFloat32(n).Select(x => dtype == ExportDtype.Fp16
                ? (float)(Half)x
                : TensorEncoding.FromBFloat16(TensorEncoding.ToBFloat16(x))).ToArray();
            return SafetensorsTensor.FromFloats(n, checkpoint.Info(n).Shape, v);
        }).ToList();
        SafetensorsCheckpoint.Save(folder, tensors);
        return folder;
    }

    private float[] Logits(string folder)
    {
        using var model = new GenAiModel(folder);
        using var processor = new MultiModalProcessor(model);
        using var images = Images.Load([tiny.Wide]);
        using var inputs = processor.ProcessImages(Prompts.User("dtype", images: 1), images);
        using var p = Genai.Greedy(model, 256);
        using var generator = new Generator(model, p);
        generator.SetInputs(inputs);
        generator.GenerateNextToken();
        var prefill = Genai.Logits(generator).Data;
        generator.GenerateNextToken();
        return [.. prefill, .. Genai.Logits(generator).Data];
    }
}
