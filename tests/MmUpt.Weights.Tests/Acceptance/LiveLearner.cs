using MmUpt.Checkpoint;
using MmUpt.Learner.Publishing;
using MmUpt.Model;
using MmUpt.Onnx.Export;
using MmUpt.Onnx.Qwen25VL;
using MmUpt.Onnx.Writing;
using MmUpt.Presets;
using MmUpt.Testing;
using static TorchSharp.torch;

namespace MmUpt.Weights.Tests.Acceptance;

/// <summary>
/// A learner's side, made once for the acceptance tests: a tiny checkpoint, the rollout workers' export of it
/// (<c>--external-data always</c>, every position's logits for the parity checks), and the live TorchSharp model loaded
/// from it, whose weights the tests perturb and publish.
/// </summary>
public sealed class LiveLearner : IDisposable
{
    private readonly TempDir _dir = new();

    public LiveLearner()
    {
        Checkpoint = _dir.File("hf");
        CheckpointInitializer.Write(CheckpointPreset.Tiny, Checkpoint, seed: 5);
        Export = Qwen25VLExporter.Export(Checkpoint, _dir.File("export"), ExportOptions);
        Model = Qwen25VLModel.FromPretrained(Checkpoint, ModelOptions.CpuFloat32);
        Model.eval();
        Architecture = Model.Config;
        Image = _dir.File("image.png");
        File.WriteAllBytes(Image, TestImages.Png(90, width: 140, height: 84));
    }

    /// <summary>How the rollout workers' export was made (the publishing options below match it).</summary>
    public static Qwen25VLExportOptions ExportOptions { get; } = new() { ExternalData = ExternalDataMode.Always, AllPositionLogits = true };

    public static WeightsPublishingOptions PublishingOptions { get; } = new() { AllPositionLogits = true };

    public string Checkpoint { get; }

    public Qwen25VLExportResult Export { get; }

    public Qwen25VLForConditionalGeneration Model { get; }

    public Qwen25VLConfig Architecture { get; }

    /// <summary>A 140×84 PNG: sides are multiples of 28, so ORT GenAI's and our preprocessing agree exactly.</summary>
    public string Image { get; }

    public string NewFolder(string name) => _dir.File($"{name}-{Guid.NewGuid():N}");

    public WeightsPublisher Publisher(WeightsStore store) => new(store, Architecture, PublishingOptions);

    /// <summary>Moves every parameter by seeded noise, as a training step would (so a version differs from the export).</summary>
    public void Perturb(long seed, double scale = 0.05)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var generator = new TorchSharp.torch.Generator((ulong)seed);
        foreach (var (_, p) in Model.named_parameters())
        {
            p.add_(randn(p.shape, generator: generator) * scale);
        }
    }

    /// <summary>
    /// A model folder as a rollout worker builds it for a version: the export's graphs and other files, with the
    /// version's data files in place of the export's.
    /// </summary>
    public string AssembleModelFolder(WeightsVersion version)
    {
        var folder = NewFolder($"model-v{version.Number}");
        Directory.CreateDirectory(folder);
        var data = version.Manifest.Files.Select(f => f.Name).ToHashSet();
        foreach (var file in Directory.GetFiles(Export.Folder).Where(f => !data.Contains(Path.GetFileName(f))))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }
        foreach (var f in version.Manifest.Files)
        {
            File.Copy(version.PathOf(f), Path.Combine(folder, f.Name));
        }
        return folder;
    }

    public void Dispose()
    {
        Model.Dispose();
        _dir.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class LiveLearnerCollection : ICollectionFixture<LiveLearner>
{
    public const string Name = "live learner";
}
