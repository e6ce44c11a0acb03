using MmUpt.Checkpoint;
using MmUpt.Onnx.Export;
using MmUpt.Presets;
using MmUpt.Processing.Tokenization;
using SkiaSharp;

namespace MmUpt.Rollout.Tests.Engine;

/// <summary>`mmupt init --preset tiny` and `mmupt export`, done once for the test class, plus a non-square PNG.</summary>
public sealed class TinyExport : IDisposable
{
    public TinyExport()
    {
        Root = Directory.CreateTempSubdirectory("mmupt-rollout-tests-").FullName;
        Checkpoint = Path.Combine(Root, "hf");
        Config = CheckpointInitializer.Write(CheckpointPreset.Tiny, Checkpoint, seed: 5);
        Folder = Qwen25VLExporter.Export(Checkpoint, Path.Combine(Root, "onnx")).Folder;
        Image = Png(140, 84);
        OtherImage = Png(140, 84, salt: 7);
    }

    public string Root { get; }
    public string Checkpoint { get; }
    public string Folder { get; }
    public Qwen25VLConfig Config { get; }
    public byte[] Image { get; }

    /// <summary>Same size as <see cref="Image"/> (same grid), other pixels.</summary>
    public byte[] OtherImage { get; }

    /// <summary>A chat-templated user turn with <paramref name="images"/> vision blocks before the question.</summary>
    public static string Prompt(string question, int images = 0) => QwenChatTemplate.UserPrompt(question, images);

    internal static byte[] Png(int width, int height, int salt = 0)
    {
        using var bitmap = new SKBitmap(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                bitmap.SetPixel(x, y, new SKColor((byte)(x * 3 + salt), (byte)(y * 5), (byte)((x + y) * 2 + salt * salt)));
            }
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
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
