using System.Diagnostics;
using MmUpt.Checkpoint;
using MmUpt.Onnx.Export;
using MmUpt.Presets;
using MmUpt.Testing;

/// <summary>
/// Peak resident memory of the export on checkpoints of ≥ 300 M parameters around Qwen's real vocabulary (151,936 rows),
/// each exported by a fresh child process (this program with <c>--export-child</c>: nothing but the runtime and
/// <see cref="Qwen25VLExporter.Export"/>) that reports its own VmHWM (peak RSS, /proc/self/status) at the end. The export
/// streams one tensor at a time and holds one fp32 copy of a transposed tensor (the largest is the lm_head, [V, H]),
/// so the model is peak ≈ overhead + 4·V·H bytes; the overhead is measured, and the 3B and 7B rows apply the model to
/// Qwen2.5-VL-3B's and -7B's own shapes. Checkpoints and exports are deleted at the end.
/// </summary>
internal static class ExportMemory
{
    public const string ChildFlag = "--export-child";

    /// <summary>The child: export, then print the peak RSS in bytes.</summary>
    public static int Child(string checkpoint, string output)
    {
        Qwen25VLExporter.Export(checkpoint, output);
        Console.WriteLine(PeakRssBytes());
        return 0;
    }

    // name, hidden, layers, heads, kv heads, mRoPE split (sums to head dim / 2), tied
    private static readonly (string Name, int Hidden, int Layers, int Heads, int KvHeads, int[] Mrope, bool Tied)[] Shapes =
    [
        ("h1024 untied, 2 layers", 1024, 2, 16, 2, [8, 12, 12], false),
        ("3B head (h2048 tied), 1 layer", 2048, 1, 16, 2, [16, 24, 24], true),
    ];

    public static void Run(string root)
    {
        var (bpe, _) = RealVocabPreset.ReadTokenizer(RealQwenTokenizer.TokenizerJsonPath);
        Console.WriteLine("\nExport peak memory (fp32 checkpoint → fp32 export, default options; one child process per export)\n");
        Console.WriteLine("| checkpoint | params | weights on disk | peak RSS | peak / disk | largest transposed tensor (fp32) | overhead |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        var overheads = new List<long>();
        foreach (var shape in Shapes)
        {
            var config = RealVocabPreset.Build(bpe);
            config.HiddenSize = shape.Hidden;
            config.IntermediateSize = 2 * shape.Hidden;
            config.NumHiddenLayers = shape.Layers;
            config.NumAttentionHeads = shape.Heads;
            config.NumKeyValueHeads = shape.KvHeads;
            config.RopeScaling!.MropeSection = shape.Mrope;
            config.TieWordEmbeddings = shape.Tied;
            config.VisionConfig.OutHiddenSize = shape.Hidden;
            config.Validate();
            var hf = Path.Combine(root, "memory-hf");
            var onnx = Path.Combine(root, "memory-onnx");
            try
            {
                CheckpointInitializer.WriteFolder(hf, config, bpe, seed: 1);
                var disk = Directory.GetFiles(hf, "*.safetensors").Sum(f => new FileInfo(f).Length);
                var parameters = Qwen25VLWeights.Expected(config).Sum(s => s.ElementCount);
                var peak = ChildPeak(hf, onnx);
                var largest = 4L * config.VocabSize * config.HiddenSize;   // lm_head [V, H] read whole to transpose
                overheads.Add(peak - largest);
                Console.WriteLine($"| {shape.Name} | {parameters / 1e6:F0} M | {Gb(disk)} | {Gb(peak)} | {(double)peak / disk:F2} | {Gb(largest)} | {Gb(peak - largest)} |");
            }
            finally
            {
                foreach (var dir in new[] { hf, onnx }.Where(Directory.Exists)) Directory.Delete(dir, recursive: true);
            }
        }
        // Qwen2.5-VL-3B: 3.75 B params, hidden 2048, tied; 7B: 8.29 B params, hidden 3584, untied; both vocab 151,936, bf16 on disk.
        var overhead = overheads.Max();
        Console.WriteLine("\nExtrapolated (peak = the larger measured overhead + one fp32 copy of the lm_head; disk as the released bf16 checkpoints, and as fp32)\n");
        Console.WriteLine("| model | params | bf16 on disk | fp32 on disk | predicted peak | peak / bf16 disk | peak / fp32 disk |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, billions, hidden) in new[] { ("Qwen2.5-VL-3B", 3.75, 2048), ("Qwen2.5-VL-7B", 8.29, 3584) })
        {
            var bf16 = (long)(billions * 1e9 * 2);
            var peak = overhead + 4L * RealVocabPreset.VocabSize * hidden;
            Console.WriteLine($"| {name} | {billions:F2} B | {Gb(bf16)} | {Gb(2 * bf16)} | {Gb(peak)} | {(double)peak / bf16:F2} | {(double)peak / (2 * bf16):F2} |");
        }
    }

    private static long ChildPeak(string checkpoint, string output)
    {
        // This program again: its apphost, or `dotnet this.dll` when it was started that way.
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet") start.ArgumentList.Add(typeof(ExportMemory).Assembly.Location);
        foreach (var a in new[] { ChildFlag, checkpoint, output }) start.ArgumentList.Add(a);
        using var child = Process.Start(start)!;
        var stdout = child.StandardOutput.ReadToEndAsync();
        var stderr = child.StandardError.ReadToEndAsync();
        child.WaitForExit();
        if (child.ExitCode != 0) throw new InvalidOperationException($"export child exited {child.ExitCode}: {stderr.Result}");
        return long.Parse(stdout.Result.Trim().Split('\n')[^1]);
    }

    private static long PeakRssBytes() =>
        File.ReadLines("/proc/self/status").Where(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024).Single();

    private static string Gb(long bytes) => $"{bytes / 1e9:F2} GB";
}
