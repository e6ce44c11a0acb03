namespace MmUpt.Weights.Tests;

/// <summary>Publishes versions of seeded random files, the way the learner publishes data files.</summary>
public static class Versions
{
    public static readonly string[] FileNames = ["decoder.onnx.data", "embedding.onnx.data", "vision.onnx.data"];

    /// <summary>
    /// The bytes of file <paramref name="name"/> for <paramref name="seed"/>: by default sizes differ per file and are not
    /// chunk multiples; <paramref name="bytes"/> sets every file's size.
    /// </summary>
    public static byte[] Content(string name, int seed, int? bytes = null)
    {
        var content = new byte[bytes ?? 200_000 + 37_001 * Array.IndexOf(FileNames, name)];
        new Random(seed * 31 + name.Length).NextBytes(content);
        return content;
    }

    public static WeightsVersion Publish(WeightsStore store, ulong step, int seed, int? bytes = null) => store.Publish(step, folder =>
    {
        foreach (var name in FileNames)
        {
            File.WriteAllBytes(Path.Combine(folder, name), Content(name, seed, bytes));
        }
    }).Version;
}
