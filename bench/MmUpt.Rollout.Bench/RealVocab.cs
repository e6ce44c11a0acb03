using System.Diagnostics;
using Microsoft.ML.OnnxRuntimeGenAI;
using MmUpt.Core;
using MmUpt.Onnx.Export;
using MmUpt.Onnx.Writing;
using MmUpt.Presets;
using MmUpt.Rollout.Engine;
using MmUpt.Sampling;
using MmUpt.Testing;

/// <summary>
/// The rollout engine on Qwen's real vocabulary (the <c>real-vocab</c> preset: 151,936 logits per row, hidden 32, so
/// sampling, not the model, dominates), G = 16 rows of one text prompt, exactly <see cref="NewTokens"/> new tokens per row:
/// <list type="number">
/// <item>tokens/s of ORT GenAI's own sampling (<c>do_sample</c>, the path the engine used before per-row C# sampling; the
/// logits are still read every step for the behaviour log-probs, as that path did) against the engine's C# per-row
/// sampling forced through <c>SetLogits</c>, for the full distribution, top-p 0.99 (the default) and top-k 50;</item>
/// <item>the per-step parts of the C# path at B = 16: copying B·V logits, drawing every row (before and after the
/// sampler's partial selection, on the same real logits, with the tokens they draw compared), the log-probs.</item>
/// </list>
/// </summary>
internal static class RealVocab
{
    private const int G = 16;
    private const int NewTokens = 32;

    public static void Run(string root)
    {
        var hf = Path.Combine(root, "real-vocab", "hf");
        RealVocabPreset.Write(hf, RealQwenTokenizer.TokenizerJsonPath, seed: 1);
        var folder = Qwen25VLExporter.Export(hf, Path.Combine(root, "real-vocab", "onnx"),
            new Qwen25VLExportOptions { ExternalData = ExternalDataMode.Always }).Folder;
        using var engine = OrtGenAiEngine.Load(folder, DeviceSpec.Cpu);
        var prompt = engine.Prepare("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n" +
            "What is 17 times 23? Please reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n<|im_start|>assistant\n", []);
        var vocab = engine.Info.VocabSize;

        var settings = new (string Name, SamplingSettings Settings)[]
        {
            ("full distribution", new SamplingSettings { Temperature = 1f, TopP = 1f, TopK = 0, MaxNewTokens = NewTokens, Seed = 1 }),
            ("top-p 0.99", new SamplingSettings { Temperature = 1f, TopP = 0.99f, TopK = 0, MaxNewTokens = NewTokens, Seed = 1 }),
            ("top-k 50", new SamplingSettings { Temperature = 1f, TopP = 1f, TopK = 50, MaxNewTokens = NewTokens, Seed = 1 }),
        };
        Console.WriteLine($"\nReal vocabulary ({vocab:N0} logits), G = {G}, {NewTokens} new tokens per row, text prompt of {prompt.TokenIds.Length} tokens\n");
        Console.WriteLine("| sampling | ORT GenAI do_sample: tokens/s | C# per-row sampling + SetLogits: tokens/s |\n|---|---:|---:|");
        using var model = new Model(folder);
        foreach (var (name, s) in settings)
        {
            var ort = s.TopK == 0 ? Median(i => OrtSampling(model, prompt.TokenIds, s, i)) : double.NaN;
            var sampling = new GroupSampling(s, GroupSampling.Mask(engine.Info.EosTokenIds, vocab), new HashSet<int>());
            var csharp = Median(i =>
            {
                var clock = Stopwatch.StartNew();
                engine.Run(Enumerable.Range(0, G).Select(r => new BatchRow(prompt, sampling, RowSampler.RowRandom((ulong)i, r), CancellationToken.None, _ => { })).ToList());
                return clock.Elapsed.TotalMilliseconds;
            });
            Console.WriteLine($"| {name} | {(double.IsNaN(ort) ? "—" : $"{G * NewTokens / (ort / 1000):F0}")} | {G * NewTokens / (csharp / 1000):F0} |");
        }
        Parts(model, prompt.TokenIds, vocab);
    }

    /// <summary>ORT GenAI samples; the logits are read each step for the behaviour log-probs, as the engine did.</summary>
    private static double OrtSampling(Model model, int[] prompt, SamplingSettings s, int seed)
    {
        var clock = Stopwatch.StartNew();
        using var p = new GeneratorParams(model);
        p.SetSearchOption("batch_size", G);
        p.SetSearchOption("max_length", prompt.Length + NewTokens);
        p.SetSearchOption("do_sample", true);
        p.SetSearchOption("top_k", s.TopK);
        p.SetSearchOption("top_p", s.TopP);
        p.SetSearchOption("temperature", s.Temperature);
        p.SetSearchOption("random_seed", seed);
        using var generator = new Generator(model, p);
        generator.AppendTokens([.. Enumerable.Repeat(prompt, G).SelectMany(x => x)]);
        var sum = 0.0;
        while (!generator.IsDone())
        {
            generator.GenerateNextToken();
            var next = generator.GetNextTokens().ToArray();
            using var logits = generator.GetOutput("logits");
            var data = logits.GetData<float>();
            var v = data.Length / G;
            for (var b = 0; b < G; b++) sum += LogProbs.Tempered(data.Slice(b * v, v), next[b], s.Temperature);
        }
        GC.KeepAlive(sum);
        return clock.Elapsed.TotalMilliseconds;
    }

    /// <summary>The C# path's per-step work at B = 16 on the model's real prefill logits (the first row repeated).</summary>
    private static void Parts(Model model, int[] prompt, int vocab)
    {
        float[] row;
        using (var p = new GeneratorParams(model))
        {
            p.SetSearchOption("max_length", prompt.Length + 1);
            using var generator = new Generator(model, p);
            generator.AppendTokens(prompt);
            using var t = generator.GetOutput("logits");
            var data = t.GetData<float>();
            row = data[^vocab..].ToArray();
        }
        var batch = Enumerable.Repeat(row, G).SelectMany(x => x).ToArray();
        var copy = new float[batch.Length];
        var banned = new bool[vocab];
        Console.WriteLine($"\nPer decode step at B = {G}, V = {vocab:N0} (median of 5; real logits of the model's first prefill)\n");
        Console.WriteLine("| part | ms / step | tokens drawn the same as before |\n|---|---:|---:|");
        Console.WriteLine($"| copy B·V logits once | {Median(_ => Time(() => batch.AsSpan().CopyTo(copy)), 5):F2} | |");
        double LogProbsMs(Func<ReadOnlySpan<float>, int, float> logProb) =>
            Median(_ => Time(() => { for (var b = 0; b < G; b++) logProb(batch.AsSpan(b * vocab, vocab), b); }), 5);
        var (scalarLp, vectorLp) = (Enumerable.Range(0, G).Select(b => LogProbsBefore.Tempered(batch.AsSpan(b * vocab, vocab), b, 1.0)).ToArray(),
            Enumerable.Range(0, G).Select(b => LogProbs.Tempered(batch.AsSpan(b * vocab, vocab), b, 1.0)).ToArray());
        Console.WriteLine($"| log-probs of the drawn tokens (B rows): before (scalar) | {LogProbsMs((l, t) => LogProbsBefore.Tempered(l, t, 1.0)):F2} | |");
        Console.WriteLine($"| log-probs of the drawn tokens (B rows): after (vectorized) | {LogProbsMs((l, t) => LogProbs.Tempered(l, t, 1.0)):F2} | " +
                          $"largest difference {scalarLp.Zip(vectorLp).Max(z => Math.Abs(z.First - z.Second)):E1} |");
        foreach (var (name, k, p) in new[] { ("full distribution", 0, 1f), ("top-p 0.99", 0, 0.99f), ("top-p 0.9", 0, 0.9f), ("top-k 50", 50, 1f) })
        {
            int[] Draw(Func<ReadOnlySpan<float>, double, int> sample)
            {
                var random = new Random(5);
                return Enumerable.Range(0, G).Select(b => sample(batch.AsSpan(b * vocab, vocab), random.NextDouble())).ToArray();
            }
            var before = Draw((l, u) => RowSamplerBefore.Sample(l, 1f, k, p, banned, u));
            var after = Draw((l, u) => RowSampler.Sample(l, 1f, k, p, banned, u));
            var beforeMs = Median(_ => Time(() => Draw((l, u) => RowSamplerBefore.Sample(l, 1f, k, p, banned, u))), 5);
            var afterMs = Median(_ => Time(() => Draw((l, u) => RowSampler.Sample(l, 1f, k, p, banned, u))), 5);
            Console.WriteLine($"| draw B rows, {name}: before | {beforeMs:F2} | |");
            Console.WriteLine($"| draw B rows, {name}: after | {afterMs:F2} | {before.Zip(after).Count(z => z.First == z.Second)} / {G} |");
        }
    }

    private static double Median(Func<int, double> run, int runs = 3)
    {
        run(0);
        return Enumerable.Range(1, runs).Select(run).Order().ElementAt(runs / 2);
    }

    private static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalMilliseconds;
    }
}
