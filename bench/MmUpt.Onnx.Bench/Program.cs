// Export time and adapter write/load time for the `mmupt init` presets (median of 3 runs after one warm-up), then the
// export's peak memory on ≥ 300 M-parameter real-vocabulary checkpoints (ExportMemory; `--memory` runs that table alone).
using System.Diagnostics;
using Microsoft.ML.OnnxRuntimeGenAI;
using MmUpt.Checkpoint.Safetensors;
using MmUpt.Checkpoint;
using MmUpt.Onnx.Export;
using MmUpt.Onnx.Qwen25VL;
using MmUpt.Presets;

if (args is [ExportMemory.ChildFlag, var checkpointArg, var outArg])
{
    return ExportMemory.Child(checkpointArg, outArg);
}
var root = Path.Combine(Path.GetTempPath(), $"mmupt-onnx-bench-{Environment.ProcessId}");
if (args is ["--memory"])   // the memory table alone (it writes and deletes ≈ 1.3 GB checkpoints)
{
    ExportMemory.Run(root);
    Directory.Delete(root, recursive: true);
    return 0;
}
using var handle = new OgaHandle();
Console.WriteLine($"{"preset",-7} {"params",12} {"export fp32 ms",15} {"export bf16 ms",15} {"folder MB",10} {"adapter MB",11} {"adapter write ms",17} {"adapter load ms",16} {"model load ms",14}");
foreach (var preset in CheckpointPreset.All)
{
    var hf = Path.Combine(root, preset.Name, "hf");
    var config = CheckpointInitializer.Write(preset, hf, seed: 1);
    var onnx = Path.Combine(root, preset.Name, "onnx");
    var replace = new Qwen25VLExportOptions { Overwrite = true };   // each timed run replaces the previous folder
    var exportMs = Median(() => Qwen25VLExporter.Export(hf, onnx, replace));
    var exportBf16Ms = Median(() => Qwen25VLExporter.Export(hf, Path.Combine(root, preset.Name, "bf16"), replace with { Dtype = ExportDtype.Bf16 }));
    var folderBytes = Directory.GetFiles(onnx).Sum(f => new FileInfo(f).Length);

    // A full weights version: every learner parameter (the largest adapter a weight sync can need).
    var weights = new InMemoryWeights();
    long parameters = 0;
    using (var checkpoint = SafetensorsCheckpoint.Open(hf))
    {
        foreach (var n in checkpoint.Names)
        {
            weights.Add(n, checkpoint.Info(n).Shape, checkpoint.ReadFloat32(n));
            parameters += checkpoint.Info(n).ElementCount;
        }
    }
    var builder = new Qwen25VLAdapterBuilder(config);
    var prefix = Path.Combine(root, preset.Name, "v1");
    IReadOnlyDictionary<Qwen25VLGraph, string> paths = new Dictionary<Qwen25VLGraph, string>();
    var writeMs = Median(() => paths = builder.Write(weights, prefix, 1));
    var adapterBytes = paths.Values.Sum(p => new FileInfo(p).Length);
    using var model = new Model(onnx);
    var loadMs = Median(() =>
    {
        using var adapters = new Adapters(model);
        adapters.LoadAdapter(paths[Qwen25VLGraph.Decoder], "v1");
    });
    var modelMs = Median(() =>
    {
        using var m = new Model(onnx);
    });
    Console.WriteLine($"{preset.Name,-7} {parameters,12:N0} {exportMs,15:F1} {exportBf16Ms,15:F1} {folderBytes / 1e6,10:F2} {adapterBytes / 1e6,11:F2} {writeMs,17:F1} {loadMs,16:F2} {modelMs,14:F1}");
}
ExportMemory.Run(root);
Directory.Delete(root, recursive: true);
return 0;

static double Median(Action action)
{
    action();
    var times = new List<double>();
    for (var i = 0; i < 3; i++)
    {
        var watch = Stopwatch.StartNew();
        action();
        times.Add(watch.Elapsed.TotalMilliseconds);
    }
    times.Sort();
    return times[1];
}
