using MmUpt.Checkpoint;
using MmUpt.Checkpoint.Safetensors;
using MmUpt.Learner.Publishing;
using MmUpt.Model;
using MmUpt.Onnx;
using MmUpt.Onnx.Export;
using MmUpt.Onnx.Proto;
using MmUpt.Onnx.Qwen25VL;
using MmUpt.Onnx.Writing;
using MmUpt.Presets;
using MmUpt.Testing;

namespace MmUpt.Weights.Tests.Acceptance;

/// <summary>A version's data files are byte for byte those of <c>mmupt export --external-data always</c> of the same weights.</summary>
public sealed class Qwen25VLWeightsWriterTests : IDisposable
{
    private readonly TempDir _dir = new();

    [Theory]
    [InlineData("tiny", ExportDtype.Fp32, false)]
    [InlineData("tiny", ExportDtype.Fp16, true)]
    [InlineData("small", ExportDtype.Bf16, false)]
    public void From_a_checkpoint_the_files_equal_the_exports_data_files(string preset, ExportDtype dtype, bool allPositionLogits)
    {
        var options = new Qwen25VLExportOptions { ExternalData = ExternalDataMode.Always, Dtype = dtype, AllPositionLogits = allPositionLogits };
        var (checkpoint, export) = Export(CheckpointPreset.Get(preset), options);
        using var weights = SafetensorsCheckpoint.Open(checkpoint);

        var written = Qwen25VLWeightsWriter.Write(Architecture(checkpoint), new SafetensorsWeightSource(weights), _dir.File("version"), options);

        AssertSameDataFiles(export, written);
    }

    [Fact]
    public void From_a_live_TorchSharp_model_the_files_equal_the_exports_data_files()
    {
        var options = new Qwen25VLExportOptions { ExternalData = ExternalDataMode.Always };
        var (checkpoint, export) = Export(CheckpointPreset.Tiny, options);
        using var model = Qwen25VLModel.FromPretrained(checkpoint, ModelOptions.CpuFloat32);

        var written = Qwen25VLWeightsWriter.Write(Architecture(checkpoint), new TorchWeightSource(model).Snapshot(), _dir.File("version"), options);

        AssertSameDataFiles(export, written);
    }

    [Fact]
    public void Streamed_slice_by_slice_from_the_live_parameters_the_files_equal_the_exports_data_files()
    {
        // The small preset's embedding (> 1 MiB) is read in several slices at non-zero offsets.
        var options = new Qwen25VLExportOptions { ExternalData = ExternalDataMode.Always };
        var (checkpoint, export) = Export(CheckpointPreset.Small, options);
        using var model = Qwen25VLModel.FromPretrained(checkpoint, ModelOptions.CpuFloat32);

        var live = Qwen25VLWeightsWriter.Write(Architecture(checkpoint), new TorchWeightSource(model), _dir.File("live"), options);

        AssertSameDataFiles(export, live);
    }

    [Fact]
    public void One_writer_for_many_versions_writes_each_as_the_export_of_its_own_weights()
    {
        // The writer builds its graphs on the first version only: each later version must still land as the export of
        // that version's weights, whichever source (and name layout) it comes from.
        var options = new Qwen25VLExportOptions { ExternalData = ExternalDataMode.Always };
        var (first, firstExport) = Export(CheckpointPreset.Tiny, options, seed: 3);
        var (second, secondExport) = Export(CheckpointPreset.Tiny, options, seed: 4);
        using var firstModel = Qwen25VLModel.FromPretrained(first, ModelOptions.CpuFloat32);
        using var secondWeights = SafetensorsCheckpoint.Open(second);
        var writer = new Qwen25VLVersionWriter(Architecture(first), options);

        AssertSameDataFiles(firstExport, writer.Write(new TorchWeightSource(firstModel).Snapshot(), _dir.File("v1")));
        AssertSameDataFiles(secondExport, writer.Write(new SafetensorsWeightSource(secondWeights), _dir.File("v2")));
        AssertSameDataFiles(firstExport, writer.Write(new TorchWeightSource(firstModel).Snapshot(), _dir.File("v3")));
    }

    [Fact]
    public void A_snapshot_into_an_earlier_ones_arrays_writes_the_new_weights_and_a_mismatched_one_is_not_reused()
    {
        // The learner's publisher hands released rollback points back to the next snapshot.
        var options = new Qwen25VLExportOptions { ExternalData = ExternalDataMode.Always };
        var (first, firstExport) = Export(CheckpointPreset.Tiny, options, seed: 3);
        var (second, secondExport) = Export(CheckpointPreset.Tiny, options, seed: 4);
        using var firstModel = Qwen25VLModel.FromPretrained(first, ModelOptions.CpuFloat32);
        using var secondModel = Qwen25VLModel.FromPretrained(second, ModelOptions.CpuFloat32);
        var writer = new Qwen25VLVersionWriter(Architecture(first), options);
        var earlier = new TorchWeightSource(firstModel).Snapshot();
        AssertSameDataFiles(firstExport, writer.Write(earlier, _dir.File("v1")));
        var embedding = earlier.ReadFloat32("model.embed_tokens.weight");

        var reused = new TorchWeightSource(secondModel).Snapshot(earlier);

        Assert.Same(earlier, reused);
        Assert.Same(embedding, reused.ReadFloat32("model.embed_tokens.weight"));
        AssertSameDataFiles(secondExport, writer.Write(reused, _dir.File("v2")));
        var partial = new InMemoryWeights();
        foreach (var name in reused.Names.Where(n => n != "model.norm.weight")) partial.Add(name, reused.Shape(name)!, reused.ReadFloat32(name));
        var fresh = new TorchWeightSource(firstModel).Snapshot(partial);
        Assert.NotSame(partial, fresh);
        Assert.Equal(reused.Names, fresh.Names);
        AssertSameDataFiles(firstExport, writer.Write(fresh, _dir.File("v3")));
    }

    [Fact]
    public void Weights_that_do_not_fit_and_exports_without_external_data_are_refused()
    {
        var (checkpoint, _) = Export(CheckpointPreset.Tiny, new Qwen25VLExportOptions());
        using var model = Qwen25VLModel.FromPretrained(checkpoint, ModelOptions.CpuFloat32);
        var snapshot = new TorchWeightSource(model).Snapshot();
        var partial = new InMemoryWeights();
        foreach (var name in snapshot.Names.Where(n => n != "model.norm.weight"))
        {
            partial.Add(name, snapshot.Shape(name)!, snapshot.ReadFloat32(name));
        }
        var always = new Qwen25VLExportOptions { ExternalData = ExternalDataMode.Always };

        var missing = Assert.Throws<CheckpointRejectedException>(() =>
            Qwen25VLWeightsWriter.Write(Architecture(checkpoint), partial, _dir.File("v1"), always));
        Assert.Contains("model.norm.weight", missing.Message);
        var inline = Assert.Throws<ArgumentException>(() =>
            Qwen25VLWeightsWriter.Write(Architecture(checkpoint), snapshot, _dir.File("v2"), new Qwen25VLExportOptions()));
        Assert.StartsWith("ExternalData:", inline.Message);
    }

    private (string Checkpoint, Qwen25VLExportResult Export) Export(CheckpointPreset preset, Qwen25VLExportOptions options, int seed = 3)
    {
        var checkpoint = _dir.File($"hf-{preset.Name}-{seed}");
        CheckpointInitializer.Write(preset, checkpoint, seed: seed);
        return (checkpoint, Qwen25VLExporter.Export(checkpoint, _dir.File($"export-{Guid.NewGuid():N}"), options));
    }

    private static Qwen25VLConfig Architecture(string checkpoint) => Qwen25VLConfigJson.Load(checkpoint);

    private static void AssertSameDataFiles(Qwen25VLExportResult export, IReadOnlyList<WrittenDataFile> written)
    {
        Assert.Equal(Qwen25VLWeightsWriter.DataFileNames, written.Select(f => f.Name));
        Assert.Equal(Qwen25VLWeightsWriter.DataFileNames.Order(StringComparer.Ordinal),
            Directory.GetFiles(export.Folder, "*.data").Select(Path.GetFileName).Order(StringComparer.Ordinal));
        // Every weight is in the data files, however small (a tiny model's norms and biases are under 1 KiB): a graph
        // holding a weight inline would keep the export's value whatever the version says.
        foreach (var graph in Qwen25VLWeightsWriter.DataFileNames.Select(n => n[..^".data".Length]))
        {
            var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(export.Folder, graph)));
            Assert.Empty(model.Graph.Initializer.Where(t => !t.Name.StartsWith("const.", StringComparison.Ordinal)
                    && t.DataLocation != TensorProto.Types.DataLocation.External)
                .Select(t => $"{graph}: {t.Name}"));
        }
        foreach (var file in written)
        {
            var bytes = File.ReadAllBytes(file.Path);
            Assert.True(bytes.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(export.Folder, file.Name))),
                $"{file.Name} differs from the export's");
            // The hash taken while writing is the file's: a publisher puts it in the manifest without reading the file back.
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), file.Sha256);
            Assert.Equal(bytes.LongLength, file.Bytes);
        }
    }

    public void Dispose() => _dir.Dispose();
}
