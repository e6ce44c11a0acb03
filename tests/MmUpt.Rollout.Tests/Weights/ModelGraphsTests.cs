using Google.Protobuf;
using MmUpt.Onnx.Export;
using MmUpt.Onnx.Proto;
using MmUpt.Onnx.Writing;
using MmUpt.Rollout.Tests.Server;
using MmUpt.Rollout.Weights;

namespace MmUpt.Rollout.Tests.Weights;

/// <summary>Which exports a version can be written into in place: fp32 weights, vision weights as graph inputs.</summary>
public sealed class ModelGraphsTests(ServedModels models) : IClassFixture<ServedModels>
{
    [Fact]
    public void The_default_export_is_read_in_place_and_a_bf16_export_is_not_with_the_file_named()
    {
        using (var served = ModelGraphs.Load(models.Folder))
        {
            Assert.True(served.WeightsReadInPlace, served.WeightsReadInPlaceProblem);
        }

        var bf16 = Qwen25VLExporter.Export(Path.Combine(models.Root, "hf"), Path.Combine(models.Root, "onnx-bf16"),
            new Qwen25VLExportOptions { ExternalData = ExternalDataMode.Always, Dtype = ExportDtype.Bf16 }).Folder;
        using var graphs = ModelGraphs.Load(bf16);
        Assert.False(graphs.WeightsReadInPlace);
        Assert.Matches(@"^(vision|embedding|decoder)\.onnx: weight '.+' is stored as Bfloat16, and ONNX Runtime folds its cast", graphs.WeightsReadInPlaceProblem);
    }

    [Fact]
    public void An_export_in_the_decoder_layout_before_out_in_weights_refuses_versions_with_the_file_named()
    {
        using (var served = ModelGraphs.Load(models.Folder))
        {
            Assert.Null(served.VersionsProblem);
        }

        // The earlier layout's mark: decoder biases as vectors [out] (now columns [out, 1]).
        var old = Path.Combine(models.Root, "onnx-old-layout");
        Directory.CreateDirectory(old);
        foreach (var file in Directory.GetFiles(models.Folder))
        {
            File.Copy(file, Path.Combine(old, Path.GetFileName(file)));
        }
        var decoderPath = Path.Combine(old, "decoder.onnx");
        var decoder = ModelProto.Parser.ParseFrom(File.ReadAllBytes(decoderPath));
        var bias = decoder.Graph.Initializer.First(t => t.Name.EndsWith(".Add.bias", StringComparison.Ordinal));
        bias.Dims.RemoveAt(1);
        File.WriteAllBytes(decoderPath, decoder.ToByteArray());

        using var graphs = ModelGraphs.Load(old);
        Assert.StartsWith($"decoder.onnx: '{bias.Name}' has shape [", graphs.VersionsProblem);
        Assert.Contains("export the model again", graphs.VersionsProblem);
    }
}
