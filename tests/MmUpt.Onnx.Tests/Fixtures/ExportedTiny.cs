using MmUpt.Checkpoint;
using MmUpt.Onnx.Export;
using SkiaSharp;

namespace MmUpt.Onnx.Tests.Fixtures;

/// <summary>
/// One tiny checkpoint, its export and three PNG images (non-square, sides multiples of 28 so no resize rounding
/// is involved), made once per test run and shared (xunit collection fixture).
/// </summary>
public sealed class ExportedTiny : IDisposable
{
    public ExportedTiny()
    {
        Root = Path.Combine(Path.GetTempPath(), $"mmupt-onnx-tests-{Environment.ProcessId}");
        Checkpoint = Path.Combine(Root, "hf");
        Config = TinyCheckpoint.Write(Checkpoint, seed: 11);
        // Every position's logits, so the parity tests compare whole prefills (LastTokenLogitsTests covers the default).
        Export = Qwen25VLExporter.Export(Checkpoint, Path.Combine(Root, "onnx"), Options);
        Wide = WritePng("wide.png", 140, 84, seed: 1);     // grid 1×6×10 → 15 image tokens
        Tall = WritePng("tall.png", 56, 112, seed: 2);     // grid 1×8×4 → 8 image tokens
        Other = WritePng("other.png", 140, 84, seed: 3);
    }

    /// <summary>The options of <see cref="Export"/>; tests that re-export to compare with it use them too.</summary>
    public static Qwen25VLExportOptions Options { get; } = new() { AllPositionLogits = true };

    public string Root { get; }
    public string Checkpoint { get; }
    public Qwen25VLConfig Config { get; }
    public Qwen25VLExportResult Export { get; }
    public string Folder => Export.Folder;
    public string Wide { get; }
    public string Tall { get; }
    public string Other { get; }

    public string NewFolder(string name)
    {
        var path = Path.Combine(Root, name);
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A native library may still hold a mapped file; the temp folder is left for the OS.
        }
    }

    private string WritePng(string name, int width, int height, int seed)
    {
        var rng = new Random(seed);
        using var bitmap = new SKBitmap(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                bitmap.SetPixel(x, y, new SKColor((byte)rng.Next(256), (byte)((x * 7 + y) % 256), (byte)((y * 5 + seed * 40) % 256)));
            }
        }
        var path = Path.Combine(Root, name);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
        return path;
    }
}

[CollectionDefinition(Name)]
public sealed class ExportedTinyCollection : ICollectionFixture<ExportedTiny>
{
    public const string Name = "exported tiny model";
}
