using System.Security.Cryptography;
using Google.Protobuf;
using MmUpt.Contracts.V1;
using MmUpt.Onnx.Export;
using MmUpt.Onnx.Writing;
using MmUpt.Presets;
using MmUpt.Rollout.Engine;

namespace MmUpt.Rollout.Tests.Server;

/// <summary>
/// The tiny model exported as a rollout worker serves it (every weight in external data, a 200-token context so that
/// over-long prompts are cheap to build), plus a second, differently seeded checkpoint exported the same way, whose
/// <c>*.onnx.data</c> files form weights versions in a store folder.
/// </summary>
public sealed class ServedModels : IDisposable
{
    public const int ContextLength = 200;

    public ServedModels()
    {
        Root = Directory.CreateTempSubdirectory("mmupt-rollout-served-").FullName;
        var tiny = Path.Combine(Root, "hf");
        CheckpointInitializer.Write(CheckpointPreset.Tiny, tiny, seed: 5);
        var other = Path.Combine(Root, "hf-other");
        CheckpointInitializer.Write(CheckpointPreset.Tiny, other, seed: 6);
        var options = new Qwen25VLExportOptions { ExternalData = ExternalDataMode.Always, ContextLength = ContextLength };
        Folder = Qwen25VLExporter.Export(tiny, Path.Combine(Root, "onnx"), options).Folder;
        OtherFolder = Qwen25VLExporter.Export(other, Path.Combine(Root, "onnx-other"), options).Folder;
        Store = Path.Combine(Root, "store");
    }

    public string Root { get; }
    public string Folder { get; }

    /// <summary>The export of the second checkpoint: what version folders are made of.</summary>
    public string OtherFolder { get; }

    /// <summary>A weights store: <c>v{N}/manifest.json</c> plus the data files.</summary>
    public string Store { get; }

    /// <summary>Publishes <paramref name="from"/>'s data files as version <paramref name="version"/>; returns the sync request.</summary>
    public SyncWeightsRequest Publish(ulong version, string from, Action<string>? damage = null)
    {
        var folder = Path.Combine(Store, $"v{version}");
        Directory.CreateDirectory(folder);
        var manifest = new WeightsManifest { Version = version, Step = version * 10 };
        foreach (var file in Directory.EnumerateFiles(from, "*.onnx.data").Order())
        {
            var target = Path.Combine(folder, Path.GetFileName(file));
            File.Copy(file, target);
            using var stream = File.OpenRead(target);
            manifest.Files.Add(new WeightsFile
            {
                Name = Path.GetFileName(file), SizeBytes = (ulong)stream.Length, Sha256 = Convert.ToHexStringLower(SHA256.HashData(stream)),
            });
        }
        var manifestPath = Path.Combine(folder, "manifest.json");
        File.WriteAllText(manifestPath, JsonFormatter.Default.Format(manifest));
        damage?.Invoke(folder);
        return new SyncWeightsRequest
        {
            Version = version, Step = manifest.Step, Source = Store,
            SizeBytes = (ulong)manifest.Files.Sum(f => (long)f.SizeBytes),
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(manifestPath))),
        };
    }

    /// <summary>Flips the bits of <paramref name="mask"/> in the byte at <paramref name="fraction"/> of <paramref name="file"/>: same size, other content.</summary>
    public static void FlipBits(string file, double fraction, byte mask)
    {
        var bytes = File.ReadAllBytes(file);
        bytes[(int)(bytes.Length * fraction)] ^= mask;
        File.WriteAllBytes(file, bytes);
    }

    /// <summary>The greedy response of <paramref name="folder"/>'s model to a prompt, straight from the engine.</summary>
    public static SampledSequence Greedy(string folder, string prompt, int newTokens)
    {
        using var engine = OrtGenAiEngine.Load(folder, MmUpt.Core.DeviceSpec.Cpu);
        var settings = new MmUpt.Sampling.SamplingSettings { TopK = 1, MaxNewTokens = newTokens, Temperature = 1f, TopP = 1f };
        return engine.Sample(engine.Prepare(prompt, Array.Empty<byte[]>()), 1, settings)[0];
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A native library may still map a file; the OS cleans the temp folder.
        }
    }
}
