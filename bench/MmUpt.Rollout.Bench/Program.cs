// Rollout engine throughput and weight-swap cost on the `mmupt init` presets, exported as the worker serves them
// (external data, last-token logits, never-sampled mask): one prompt with one 140×84 px image (15 image tokens),
// exactly 64 new tokens per row (end-of-sequence ids banned, so every row has the same length), T = 1, full
// distribution. Figures are the median of 3 timed runs after a warm-up (ORT GenAI against TorchSharp: 5 alternating
// pairs, the speed-up being the median of the pairs' ratios). Tables:
//   1. one group of G rows in one generator;
//   2. N groups of G = 8 at once, packed into one generator (N·8 rows) or on N generators on N threads;
//   3. a weight swap as SyncWeights does it: a new model built next to the serving one (verification by SHA-256, then
//      staging + loading), or the version written into the spare model's data files in place, hashed on the way
//      (Rollout:ReuseModels);
//      and the pause each causes: a G = 8 group timed while the swap runs beside it, against without.
//   3b. where a decode step's time goes (DecodeStepFloor; `--floor` runs it alone): each engine's decode step of
//      16 rows beside the same step's weight products alone — the least time any step could take;
//   4. the real vocabulary (RealVocab; `--real-vocab` runs it alone): ORT GenAI's own sampling against the C# per-row
//      sampling, and the per-step cost of the C# path at 151,936 logits.
// `--swap` runs table 3 alone. Side by side in tables 1 and 2: the same groups sampled by the TorchSharp model with its KV cache (TorchKvLoop.cs) on
// the same weights, same rows, same banned ids, same temperature — what a .NET user would write instead of ORT GenAI.
using System.Diagnostics;
using MmUpt.Core;
using MmUpt.Model;
using MmUpt.Onnx.Export;
using MmUpt.Onnx.Writing;
using MmUpt.Presets;
using MmUpt.Rollout.Engine;
using MmUpt.Rollout.Weights;
using MmUpt.Sampling;
using SkiaSharp;

const int newTokens = 64;
var root = Directory.CreateTempSubdirectory("mmupt-rollout-bench-").FullName;
var skipRealVocab = args.Intersect(["--no-real-vocab", "--swap"]).Any();   // the first three tables only
var swapOnly = args.Contains("--swap");   // the weight-swap table alone
var floorOnly = args.Contains("--floor");   // the decode-step table alone
skipRealVocab |= floorOnly;
if (args.Contains("--real-vocab"))   // the real-vocabulary tables alone
{
    RealVocab.Run(root);
    Directory.Delete(root, recursive: true);
    return;
}
var image = Png(140, 84);
const string prompt = "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n" +
                      "<|vision_start|><|image_pad|><|vision_end|>How many red shapes are there? " +
                      "Please reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n<|im_start|>assistant\n";
var groupRows = new List<string>();
var concurrentRows = new List<string>();
var swapRows = new List<string>();
var floorRows = new List<string>();
foreach (var preset in CheckpointPreset.All)
{
    var export = new Qwen25VLExportOptions { ExternalData = ExternalDataMode.Always };
    var folders = new[] { 1, 2 }.Select(seed =>
    {
        var hf = Path.Combine(root, preset.Name, $"hf{seed}");
        CheckpointInitializer.Write(preset, hf, seed: seed);
        return Qwen25VLExporter.Export(hf, Path.Combine(root, preset.Name, $"onnx{seed}"), export).Folder;
    }).ToArray();
    // ONNX Runtime's default threads (one intra-op thread per session on the 2-vCPU build machine: with the TorchSharp
    // loop alternating beside it, 2 threads measured slower at every G).
    using var engine = OrtGenAiEngine.Load(folders[0], DeviceSpec.Cpu);
    var prepared = engine.Prepare(prompt, [image]);
    var sampling = new GroupSampling(new SamplingSettings { Temperature = 1f, TopP = 1f, MaxNewTokens = newTokens, Seed = 1 },
        GroupSampling.Mask(engine.Info.EosTokenIds, engine.Info.VocabSize), new HashSet<int>());
    List<BatchRow> Rows(int g, ulong seed) => Enumerable.Range(0, g)
        .Select(i => new BatchRow(prepared, sampling, RowSampler.RowRandom(seed, i), CancellationToken.None, _ => { })).ToList();
    double Median(Func<int, double> run)
    {
        run(0);
        return Enumerable.Range(1, 3).Select(run).Order().ElementAt(1);
    }
    double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalMilliseconds;
    }

    using var torchModel = Qwen25VLModel.FromPretrained(Path.Combine(root, preset.Name, "hf1"), ModelOptions.CpuFloat32);
    var c = torchModel.Config;
    var banned = engine.Info.EosTokenIds.Concat([c.ImageTokenId, c.VideoTokenId, c.VisionStartTokenId, c.VisionEndTokenId]).Distinct().ToArray();
    double Torch(int rows, int i) => Time(() => TorchKvLoop.Run(torchModel, prepared, rows, newTokens, banned, 1f, (ulong)i));
    // The two engines in alternating pairs (ORT first in odd pairs, TorchSharp first in even ones): this machine's speed
    // drifts by tens of percent over minutes, so the speed-up is the median of the pairs' ratios, each pair measured at
    // one moment, and the times are the medians of their runs. Each run starts after a 300 ms pause, so neither engine's
    // worker threads, which spin for a while after their work, take the cores of the other's run.
    (double Ort, double Torch, double Ratio) Paired(Func<int, double> ortRun, Func<int, double> torchRun)
    {
        double ort(int i)
        {
            Thread.Sleep(300);
            return ortRun(i);
        }
        double torch(int i)
        {
            Thread.Sleep(300);
            return torchRun(i);
        }
        ort(0);
        torch(0);
        var pairs = new List<(double O, double T)>();
        for (var i = 1; i <= 5; i++)
        {
            if (i % 2 == 1)
            {
                var o = ort(i);
                pairs.Add((o, torch(i)));
            }
            else
            {
                var t = torch(i);
                pairs.Add((ort(i), t));
            }
        }
        double Mid(IEnumerable<double> v) => v.Order().ElementAt(2);
        return (Mid(pairs.Select(p => p.O)), Mid(pairs.Select(p => p.T)), Mid(pairs.Select(p => p.T / p.O)));
    }

    if (!swapOnly)
    {
        floorRows.Add(DecodeStepFloor.Run(preset.Name, folders[0], torchModel, prepared, rows: 16, Path.Combine(root, preset.Name)));
    }
    if (floorOnly)
    {
        continue;
    }
    foreach (var g in swapOnly ? [] : new[] { 1, 8, 16, 32 })
    {
        var (ms, torch, ratio) = Paired(i => Time(() => engine.Run(Rows(g, (ulong)i))), i => Torch(g, i));
        groupRows.Add($"| {preset.Name} | {g} | {ms:F1} | {g * newTokens / (ms / 1000):F0} | {g / (ms / 1000):F1} | " +
                      $"{torch:F1} | {g * newTokens / (torch / 1000):F0} | {ratio:F2}× |");
    }
    foreach (var n in swapOnly ? [] : new[] { 1, 2, 4 })
    {
        var (packed, torch, ratio) = Paired(i => Time(() => engine.Run(Rows(8 * n, (ulong)i))), i => Torch(8 * n, i));
        var parallel = Median(i => Time(() => Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = n }, j => engine.Run(Rows(8, (ulong)(i * 10 + j))))));
        concurrentRows.Add($"| {preset.Name} | {n} | {8 * n * newTokens / (packed / 1000):F0} | {8 * n / (packed / 1000):F1} | " +
                           $"{8 * n * newTokens / (parallel / 1000):F0} | {8 * n / (parallel / 1000):F1} | " +
                           $"{8 * n * newTokens / (torch / 1000):F0} | {ratio:F2}× |");
    }

    using var graphs = ModelGraphs.Load(folders[0]);
    var staging = Path.Combine(root, preset.Name, "staging");
    // What SyncWeights does with a version it has found: verify it (SHA-256 of every data file) and build a new model next
    // to the serving one (stage + load), or write it into the spare model's data files in place, hashing as it copies.
    double Verify(int i) => Time(() =>
    {
        foreach (var file in graphs.DataFiles.Keys)
        {
            using var stream = File.OpenRead(Path.Combine(folders[1], file));
            System.Security.Cryptography.SHA256.HashData(stream);
        }
    });
    double Build(int i)
    {
        var dir = Path.Combine(staging, $"v{i}");
        return Time(() =>
        {
            graphs.Stage(folders[1], dir);
            OrtGenAiEngine.Load(dir, DeviceSpec.Cpu, graphs.Apply).Dispose();
        });
    }
    var spareFolder = Path.Combine(staging, "spare");
    graphs.Stage(folders[0], spareFolder);
    using var spare = OrtGenAiEngine.Load(spareFolder, DeviceSpec.Cpu, graphs.Apply);
    var sums = folders.Select(f => graphs.DataFiles.Keys.ToDictionary(n => n, n =>
    {
        using var stream = File.OpenRead(Path.Combine(f, n));
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    })).ToArray();
    double InPlace(int i) => Time(() => graphs.Overwrite(folders[(i + 1) % 2], spareFolder, sums[(i + 1) % 2]));
    double Beside(Func<int, double> swap) => Median(i =>
    {
        var swapping = Task.Run(() => swap(100 + i));
        var ms = Time(() => engine.Run(Rows(8, (ulong)i)));
        swapping.Wait();
        return ms;
    });
    var verify = Median(Verify);
    var build = Median(Build);
    var inPlace = Median(InPlace);
    var alone = Median(i => Time(() => engine.Run(Rows(8, (ulong)i))));
    var besideBuild = Beside(Build);
    var besideInPlace = Beside(InPlace);
    var step = Median(i => Time(() => engine.Run(Rows(16, (ulong)i))));
    // One replica's rollout step in the demo and the loop benchmark: B = 16 groups of G = 8 over two replicas, so 8 groups
    // here, run as the worker's defaults run them (2 generators at once, up to 32 rows each: 4 groups packed per generator).
    var rolloutStep = Median(i => Time(() => Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 },
        j => engine.Run(Rows(32, (ulong)(i * 10 + j))))));
    swapRows.Add($"| {preset.Name} | {verify:F0} | {build:F0} | {inPlace:F0} | {alone:F0} | {besideBuild - alone:F0} | {besideInPlace - alone:F0} | " +
                 $"{step:F0} | {100 * (verify + build) / step:F0}% | {100 * inPlace / step:F1}% | " +
                 $"{rolloutStep:F0} | {100 * (verify + build) / rolloutStep:F1}% | {100 * inPlace / rolloutStep:F1}% |");
}
if (floorOnly)
{
    PrintFloor();
    Directory.Delete(root, recursive: true);
    return;
}
Console.WriteLine($"One group, {newTokens} new tokens per row\n");
Console.WriteLine("| preset | G | ORT GenAI ms / group | tokens/s | samples/s | TorchSharp KV loop ms | tokens/s | ORT speed-up |\n|---|---:|---:|---:|---:|---:|---:|---:|");
groupRows.ForEach(Console.WriteLine);
Console.WriteLine("\nN groups of G = 8 at once\n");
Console.WriteLine("| preset | N | packed: tokens/s | packed: samples/s | N generators: tokens/s | N generators: samples/s | TorchSharp, N·8 rows: tokens/s | ORT packed speed-up |\n|---|---:|---:|---:|---:|---:|---:|---:|");
concurrentRows.ForEach(Console.WriteLine);
PrintFloor();
Console.WriteLine("\nWeight swap: a new model next to the serving one (verify, then stage + load), or the version written into the spare model in place (hashed as it is copied)\n");
Console.WriteLine("| preset | new model: verify, ms | new model: stage + load, ms | in place, ms | G = 8 group alone, ms | pause: new model, ms | pause: in place, ms | G = 16 group, ms | sync / G = 16 group: new model | in place | replica's rollout step (8 groups of G = 8), ms | sync / rollout step: new model | in place |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
swapRows.ForEach(Console.WriteLine);
if (!skipRealVocab)
{
    RealVocab.Run(root);
}
Directory.Delete(root, recursive: true);

void PrintFloor()
{
    if (floorRows.Count == 0)
    {
        return;
    }
    Console.WriteLine("\nA decode step, 16 rows (ONNX Runtime on one thread, TorchSharp on its default threads): the step against its weight products alone\n");
    Console.WriteLine(DecodeStepFloor.Header);
    floorRows.ForEach(Console.WriteLine);
}

static byte[] Png(int width, int height)
{
    using var bitmap = new SKBitmap(width, height);
    using (var canvas = new SKCanvas(bitmap))
    {
        canvas.Clear(SKColors.White);
        using var paint = new SKPaint { Color = SKColors.Red };
        canvas.DrawCircle(30, 40, 15, paint);
        canvas.DrawRect(80, 20, 30, 30, paint);
    }
    using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
    return data.ToArray();
}
