// Learner throughput: one GRPO micro-step (policy log-probs over the response half of each row → GrpoLoss →
// backward) per timed iteration, as the trainer runs it (vocabulary-chunked log-probs, never-sampled mask, position ids
// from the RoPE index). Tokens/s counts every token of the rows (prompt + response). Peak memory is the process's peak
// RSS (VmHWM) over the timed steps, reset before each configuration through /proc/self/clear_refs.
//   dotnet run -c Release                       the table: tiny and small, fp32 and bf16, 1 and 2 threads, rows with one image
//   dotnet run -c Release -- --text-only --batch 4 --seq 256 --threads 1 [--preset small] [--dtype fp32]
//   dotnet run -c Release -- --groups           a GRPO group (G responses to one image prompt) run whole vs with the
//                                               prompt once (TrainerOptions.SharePrompts), side by side, 1 thread
// The text-only line also prints the arguments of torch_text_only.py for the same decoder shape in eager PyTorch.
using System.Diagnostics;
using MmUpt.Checkpoint;
using MmUpt.Learner.Grpo;
using MmUpt.Learner.Training;
using MmUpt.Model;
using MmUpt.Presets;
using MmUpt.Processing.Layout;
using static TorchSharp.torch;

const int warmup = 2, steps = 5;
var flags = Flags.Parse(args);
if (flags.Groups)
{
    Console.WriteLine($"{"preset",-8}{"G",4}{"prompt",8}{"response",10}{"whole ms",10}{"shared ms",11}{"speed-up",10}");
    foreach (var preset in CheckpointPreset.All)
    foreach (var response in new[] { 8, 64 })
        RunGroup(preset, 8, response);
    return;
}
Console.WriteLine($"{"preset",-8}{"dtype",-7}{"threads",8}{"rows",6}{"tokens",8}{"image",7}{"fwd+bwd ms",12}{"tokens/s",11}{"peak RSS MB",13}");
if (flags.TextOnly)
{
    Run(CheckpointPreset.Get(flags.Preset), flags.DType, flags.Threads, flags.Batch, flags.Seq, image: false);
}
else
{
    foreach (var preset in CheckpointPreset.All)
    foreach (var dtype in new[] { "fp32", "bf16" })
    foreach (var threads in new[] { 1, 2 })
        Run(preset, dtype, threads, 4, 128, image: true);
}

void Run(CheckpointPreset preset, string dtype, int threads, int rows, int seq, bool image)
{
    set_num_threads(threads);
    var config = CheckpointInitializer.Build(preset).Config;   // the vocabulary `mmupt init` really writes
    using var model = Qwen25VLModel.CreateRandom(config, 1, ModelOptions.Parse(dtype));
    var grid = new GridThw(1, 10, 14);
    var samples = Samples(config, rows, seq, image ? grid : null);
    var never = NeverSampledTokens.Ids(config);
    var sw = new Stopwatch();
    File.WriteAllText("/proc/self/clear_refs", "5");
    for (var i = 0; i < warmup + steps; i++)
    {
        if (i == warmup) sw.Start();
        using var scope = NewDisposeScope();
        model.zero_grad();
        var batch = MicroBatch.Build(samples, CPU);
        var lp = PolicyLogProbs.Compute(model, batch, 0.7, 256, never);
        var inputs = new GrpoLossInputs(lp, lp.detach(), null, batch.ResponseMask, tensor(samples.Select(s => (float)s.Advantage).ToArray()));
        GrpoLoss.Compute(inputs, new GrpoOptions()).Loss.backward();
    }
    sw.Stop();
    var ms = sw.Elapsed.TotalMilliseconds / steps;
    Console.WriteLine($"{preset.Name,-8}{dtype,-7}{threads,8}{rows,6}{seq,8}{(image ? "yes" : "no"),7}{ms,12:F1}{rows * seq / (ms / 1000),11:F0}{PeakRssMb(),13:F0}");
    if (!image)
        Console.WriteLine($"  eager PyTorch, same shape: python3 bench/MmUpt.Learner.Bench/torch_text_only.py --batch {rows} --seq {seq} --threads {threads} " +
            $"--dtype {dtype} --vocab {config.VocabSize} --hidden {config.HiddenSize} --intermediate {config.IntermediateSize} " +
            $"--layers {config.NumHiddenLayers} --heads {config.NumAttentionHeads} --kv-heads {config.NumKeyValueHeads} --tied {(config.TieWordEmbeddings ? 1 : 0)}");
}

// One fwd+bwd micro-step of one group, both ways in 5 alternating pairs (this machine drifts): median ms of each.
void RunGroup(CheckpointPreset preset, int g, int response)
{
    set_num_threads(1);
    var config = CheckpointInitializer.Build(preset).Config;
    using var model = Qwen25VLModel.CreateRandom(config, 1, ModelOptions.CpuFloat32);
    var grid = new GridThw(1, 10, 14);
    var prompt = Samples(config, 1, 2 * 80, grid)[0];
    var rng = new Random(2);
    var samples = Enumerable.Range(0, g).Select(i => prompt with
    {
        Index = i, ResponseIds = Enumerable.Range(0, response).Select(_ => rng.Next(22, config.VocabSize)).ToArray(),
        BehaviourLogProbs = new float[response], Advantage = i % 2 == 0 ? 1 : -1,
    }).ToList();
    var never = NeverSampledTokens.Ids(config);
    double Once(bool share)
    {
        var sw = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        model.zero_grad();
        var batch = MicroBatch.Build(samples, CPU, share);
        var lp = PolicyLogProbs.Compute(model, batch, 0.7, 256, never);
        var inputs = new GrpoLossInputs(lp, lp.detach(), null, batch.ResponseMask, tensor(samples.Select(s => (float)s.Advantage).ToArray()));
        GrpoLoss.Compute(inputs, new GrpoOptions()).Loss.backward();
        return sw.Elapsed.TotalMilliseconds;
    }
    for (var i = 0; i < warmup; i++) { Once(false); Once(true); }
    var whole = new List<double>();
    var shared = new List<double>();
    for (var i = 0; i < steps; i++)
    {
        whole.Add(Once(false));
        shared.Add(Once(true));
    }
    double Median(List<double> x) => x.Order().ElementAt(x.Count / 2);
    Console.WriteLine($"{preset.Name,-8}{g,4}{prompt.PromptIds.Length,8}{response,10}{Median(whole),10:F1}{Median(shared),11:F1}{Median(whole) / Median(shared),9:F2}×");
}

static List<TrainingSample> Samples(Qwen25VLConfig c, int rows, int seq, GridThw? grid)
{
    var rng = new Random(1);
    var list = new List<TrainingSample>();
    for (var b = 0; b < rows; b++)
    {
        var prompt = new List<int>();
        PromptImages? images = null;
        if (grid is { } g)
        {
            prompt.Add(c.VisionStartTokenId);
            prompt.AddRange(Enumerable.Repeat(c.ImageTokenId, g.MergedTokens(2)));
            prompt.Add(c.VisionEndTokenId);
            var pixels = Enumerable.Range(0, g.Patches * c.VisionConfig.PatchDim).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
            images = new PromptImages(pixels, c.VisionConfig.PatchDim, [g]);
        }
        while (prompt.Count < seq / 2) prompt.Add(rng.Next(22, c.VocabSize));
        var response = Enumerable.Range(0, seq - prompt.Count).Select(_ => rng.Next(22, c.VocabSize)).ToArray();
        list.Add(new TrainingSample($"g{b / 2}", b, [.. prompt], response, new float[response.Length], b % 2, images) { Advantage = b % 2 == 0 ? 1 : -1 });
    }
    return list;
}

static double PeakRssMb() =>
    File.ReadLines("/proc/self/status").Where(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
        .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024).First();

sealed record Flags(bool TextOnly, bool Groups, int Batch, int Seq, int Threads, string Preset, string DType)
{
    public static Flags Parse(string[] a)
    {
        string Get(string name, string fallback) => Array.IndexOf(a, name) is var i and >= 0 && i + 1 < a.Length ? a[i + 1] : fallback;
        return new Flags(a.Contains("--text-only"), a.Contains("--groups"), int.Parse(Get("--batch", "4")), int.Parse(Get("--seq", "256")),
            int.Parse(Get("--threads", "1")), Get("--preset", "small"), Get("--dtype", "fp32"));
    }
}
