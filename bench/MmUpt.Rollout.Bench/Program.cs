// Group sampling throughput of OrtGenAiEngine (the rollout worker's engine) on the `mmupt init` presets, exported with
// the default last-token logits: one prompt with one 140×84 px image (15 image tokens), G rows, exactly N new tokens
// (the end-of-sequence ids are never sampled by a random model often enough to matter; rows that stop early are
// counted by their real length). Figures: generated tokens/s over the group and ms per group, median of 3 after a warm-up.
using System.Diagnostics;
using Microsoft.ML.OnnxRuntimeGenAI;
using MmUpt.Checkpoint;
using MmUpt.Core;
using MmUpt.Data;
using MmUpt.Onnx.Export;
using MmUpt.Presets;
using MmUpt.Rollout.Engine;
using MmUpt.Sampling;
using SkiaSharp;

const int newTokens = 64;
using var handle = new OgaHandle();
var root = Directory.CreateTempSubdirectory("mmupt-rollout-bench-").FullName;
var image = Png(140, 84);
const string prompt = "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n" +
                      "<|vision_start|><|image_pad|><|vision_end|>How many red shapes are there? " +
                      "Please reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n<|im_start|>assistant\n";
Console.WriteLine($"{"preset",-7} {"G",3} {"prompt tokens",14} {"ms/group",10} {"tokens/s",10} {"samples/s",10}");
foreach (var preset in CheckpointPreset.All)
{
    var hf = Path.Combine(root, preset.Name, "hf");
    CheckpointInitializer.Write(preset, hf, seed: 1);
    var folder = Qwen25VLExporter.Export(hf, Path.Combine(root, preset.Name, "onnx")).Folder;
    using var engine = OrtGenAiEngine.Load(folder, DeviceSpec.Cpu);
    var prepared = engine.Prepare(prompt, [image]);
    foreach (var g in new[] { 1, 8, 16 })
    {
        var settings = new SamplingSettings { Temperature = 1f, TopP = 1f, MaxNewTokens = newTokens, Seed = 1 };
        engine.Sample(prepared, g, settings);
        var runs = Enumerable.Range(0, 3).Select(i =>
        {
            var sw = Stopwatch.StartNew();
            var group = engine.Sample(prepared, g, settings with { Seed = (ulong)(i + 2) });
            return (sw.Elapsed.TotalMilliseconds, Tokens: group.Sum(s => s.TokenIds.Length));
        }).OrderBy(r => r.TotalMilliseconds).ToList();
        var (ms, tokens) = runs[1];
        Console.WriteLine($"{preset.Name,-7} {g,3} {prepared.TokenIds.Length,14} {ms,10:F1} {tokens / (ms / 1000),10:F0} {g / (ms / 1000),10:F1}");
    }
}
Directory.Delete(root, recursive: true);

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
