using MmUpt.Checkpoint.Safetensors;
using MmUpt.Checkpoint;
using MmUpt.Presets;
using MmUpt.Processing.Layout;
using MmUpt.Processing;
using static TorchSharp.torch;

namespace MmUpt.Model.Tests;

public sealed class CheckpointRoundTripTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mmupt-model-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void InitFolderReloadsToIdenticalLogits()
    {
        var config = CheckpointInitializer.Write(CheckpointPreset.Tiny, _dir, seed: 11);
        foreach (var f in new[] { "config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "preprocessor_config.json", "generation_config.json" })
            Assert.True(File.Exists(Path.Combine(_dir, f)), f);
        using var loaded = Qwen25VLModel.FromPretrained(_dir, ModelOptions.CpuFloat32);
        using var fresh = Qwen25VLModel.CreateRandom(config, 11, ModelOptions.CpuFloat32);
        var batch = TinyModels.Batch(config, [new GridThw(1, 10, 14)], seed: 2);
        using var scope = NewDisposeScope();
        Assert.True(loaded.forward(batch).equal(fresh.forward(batch)).all().item<bool>());
    }

    [Fact]
    public void InitFolderRunsAPromptWithARealImageEndToEnd()
    {
        CheckpointInitializer.Write(CheckpointPreset.Tiny, _dir, seed: 2);
        var folder = Qwen25VLProcessor.Open(_dir);
        // 150x100 px (w x h) → smart resize 140x112 → grid 1x8x10 → 20 image tokens.
        var rgb = Enumerable.Range(0, 150 * 100 * 3).Select(i => (byte)(i * 7 % 251)).ToArray();
        var image = folder.ImageProcessor.ProcessRgb(rgb, 150, 100);
        var ids = folder.EncodeUserPrompt("How many red circles are there?", [image]);
        Assert.Equal(20, ids.Count(i => i == folder.Config.ImageTokenId));
        using var m = Qwen25VLModel.FromPretrained(_dir, ModelOptions.CpuFloat32);
        using var scope = NewDisposeScope();
        var inputs = new Qwen25VLInputs(tensor(ids.Select(i => (long)i).ToArray()).unsqueeze(0), null,
            tensor(image.PixelValues, [image.Patches, image.PatchDim]), Qwen25VLProcessor.Grids([image]));
        var lp = m.NextTokenLogProbs(inputs);
        Assert.Equal(ids.Length - 1, lp.shape[1]);
        Assert.True(lp.isfinite().all().item<bool>());
        Assert.True((lp <= 0).all().item<bool>());
    }

    [Theory]
    [InlineData(WeightNameLayout.Flat, SafetensorsDType.F32, long.MaxValue)]
    [InlineData(WeightNameLayout.Nested, SafetensorsDType.F32, 100_000)]
    [InlineData(WeightNameLayout.Flat, SafetensorsDType.BF16, long.MaxValue)]
    public void SaveAndLoadKeepEveryParameter(WeightNameLayout layout, SafetensorsDType dtype, long shard)
    {
        var config = TinyModels.Config(tied: false);
        using var a = Qwen25VLModel.CreateRandom(config, 4, ModelOptions.CpuFloat32);
        Qwen25VLConfigJson.Save(config, _dir);
        Qwen25VLCheckpointIO.Save(a, _dir, dtype, layout, shard);
        using var b = Qwen25VLModel.FromPretrained(_dir, ModelOptions.CpuFloat32);
        foreach (var ((name, pa), (_, pb)) in a.named_parameters().Zip(b.named_parameters()))
        {
            using var scope = NewDisposeScope();
            var want = dtype == SafetensorsDType.BF16 ? pa.to(ScalarType.BFloat16).to(ScalarType.Float32) : pa;
            Assert.True(want.equal(pb).all().item<bool>(), name);
        }
    }

    [Fact]
    public void LoadReportsMissingUnexpectedAndMismatchedTensorsTogether()
    {
        var config = TinyModels.Config(tied: true);
        var tensors = RandomInit.Tensors(config, 1).Where(t => t.Name != "model.norm.weight").ToList();
        tensors.Add(SafetensorsTensor.FromFloats("visual.extra.weight", [2], [1f, 2f]));
        var i = tensors.FindIndex(t => t.Name == "visual.merger.ln_q.weight");
        tensors[i] = SafetensorsTensor.FromFloats("visual.merger.ln_q.weight", [3], [1f, 1f, 1f]);
        Qwen25VLConfigJson.Save(config, _dir);
        SafetensorsCheckpoint.Save(_dir, tensors);
        var ex = Assert.Throws<CheckpointFormatException>(() => Qwen25VLModel.FromPretrained(_dir, ModelOptions.CpuFloat32));
        Assert.Contains("missing (1): model.norm.weight", ex.Message);
        Assert.Contains("unexpected (1): visual.extra.weight", ex.Message);
        Assert.Contains("visual.merger.ln_q.weight: config.json implies [48], checkpoint has [3]", ex.Message);
    }

    /// <summary>Refused from config.json alone: the model (millions of layers) is never built.</summary>
    [Fact]
    public void OutOfRangeConfigIsRefusedBeforeTheModelIsBuilt()
    {
        var config = TinyModels.Config();
        SafetensorsCheckpoint.Save(_dir, RandomInit.Tensors(config, 1));
        config.NumHiddenLayers = 1_000_000;
        Qwen25VLConfigJson.Save(config, _dir);
        var ex = Assert.Throws<CheckpointFormatException>(() => Qwen25VLModel.FromPretrained(_dir, ModelOptions.CpuFloat32));
        Assert.Contains("num_hidden_layers must be in [1, 1024] (got 1000000)", ex.Message);
    }
}
