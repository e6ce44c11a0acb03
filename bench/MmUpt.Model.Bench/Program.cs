// Forward+backward tokens/s of the tiny and small presets at fp32 and bf16 on CPU: a batch of B prompts, each with one
// 140×196 px image (10×14 patches → 35 image tokens) and text up to L tokens; loss = mean next-token log-prob.
// Each configuration runs with 1 and with all intra-op threads: on a busy 2-core machine libtorch's OpenMP threads
// spin against other processes and one thread can be far faster.
using System.Diagnostics;
using MmUpt.Checkpoint;
using MmUpt.Model;
using MmUpt.Presets;
using MmUpt.Processing.Layout;
using static TorchSharp.torch;

const int batch = 4, length = 128, warmup = 2, steps = 5;
var grid = new GridThw(1, 10, 14);
var maxThreads = get_num_threads();
Console.WriteLine($"batch {batch} x {length} tokens, one {grid.H * 14}x{grid.W * 14} px image per row, {steps} timed steps after {warmup} warm-up");
Console.WriteLine($"{"preset",-8}{"dtype",-7}{"threads",8}{"params",12}{"fwd+bwd ms",12}{"tokens/s",12}");
foreach (var preset in CheckpointPreset.All)
foreach (var dtype in new[] { "fp32", "bf16" })
foreach (var threads in new[] { 1, maxThreads }.Distinct())
{
    set_num_threads(threads);
    {
        var config = CheckpointInitializer.Build(preset).Config;   // the vocabulary `mmupt init` really writes
        var options = ModelOptions.Parse(dtype);
        using var model = Qwen25VLModel.CreateRandom(config, 1, options);
        var inputs = MakeBatch(config, grid, options);
        var sw = new Stopwatch();
        for (var i = 0; i < warmup + steps; i++)
        {
            if (i == warmup) sw.Start();
            using var scope = NewDisposeScope();
            model.zero_grad();
            (-model.NextTokenLogProbs(inputs).mean()).backward();
        }
        sw.Stop();
        var ms = sw.Elapsed.TotalMilliseconds / steps;
        var count = model.parameters().Sum(p => p.numel());
        Console.WriteLine($"{preset.Name,-8}{dtype,-7}{threads,8}{count,12:N0}{ms,12:F1}{batch * length / (ms / 1000),12:F0}");
    }
}

static Qwen25VLInputs MakeBatch(Qwen25VLConfig c, GridThw grid, ModelOptions o)
{
    var rng = new Random(1);
    var ids = new long[batch * length];
    for (var b = 0; b < batch; b++)
    {
        var row = new List<long> { c.VisionStartTokenId };
        row.AddRange(Enumerable.Repeat((long)c.ImageTokenId, grid.MergedTokens(2)));
        row.Add(c.VisionEndTokenId);
        while (row.Count < length) row.Add(rng.Next(22, c.VocabSize));
        row.CopyTo(ids, b * length);
    }
    var pixels = randn([batch * grid.Patches, c.VisionConfig.PatchDim], dtype: o.DType);
    pixels.DetachFromDisposeScope();
    return new Qwen25VLInputs(tensor(ids, [batch, length]), null, pixels, Enumerable.Repeat(grid, batch).ToList());
}
