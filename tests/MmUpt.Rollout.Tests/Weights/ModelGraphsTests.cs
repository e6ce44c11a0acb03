using MmUpt.Onnx.Export;
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
}
