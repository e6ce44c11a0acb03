using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MmUpt.Checkpoint;
using MmUpt.Model;
using MmUpt.Onnx.Graph;
using MmUpt.Onnx.Proto;
using MmUpt.Onnx.Writing;
using MmUpt.Processing.Layout;
using MmUpt.Rollout.Engine;
using static TorchSharp.torch;

/// <summary>
/// Where a decode step's time goes, and so how far the ORT GenAI engine could pull ahead of the TorchSharp loop at all:
/// B rows decoding <see cref="Steps"/> tokens after the benchmark's prompt — ONNX Runtime on one intra-op thread (as
/// the engine runs its sessions here), TorchSharp on libtorch's default threads (as the TorchSharp loop of the other tables) —
/// <list type="bullet">
/// <item>the exported decoder run by ONNX Runtime directly (one intra-op thread, pre-packing off as in genai_config.json,
/// each step's presents fed back as the next past), and the TorchSharp model's <c>CachedLogits</c> on its
/// <see cref="KvCache"/> (the TorchSharp loop's step without its sampling);</item>
/// <item>the same step's weight products alone, on the same shapes: in ONNX Runtime as the export computes them (W·xᵀ,
/// weights in an external data file, so mapped as the served model's are), in TorchSharp as its model does (x·Wᵀ,
/// <c>linear</c>); and in ONNX Runtime once more with every layer reading layer 0's weights, so the working set is one
/// layer's and stays in cache.</item>
/// </list>
/// No engine can do a step in less time than its products; the last column is the speed-up ORT GenAI's decode step
/// would have over TorchSharp's if everything but its products cost nothing.
/// </summary>
internal static class DecodeStepFloor
{
    private const int Steps = 32;
    private const TensorProto.Types.DataType F32 = TensorProto.Types.DataType.Float;

    public static string Header =>
        "| preset | rows | ORT decoder step, ms | ORT: the step's products alone, ms | same, one layer's weights (in cache), ms | products / step | " +
        "TorchSharp step, ms | TorchSharp products alone, ms | TorchSharp step / ORT step | TorchSharp step / ORT products alone |\n" +
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

    public static string Run(string preset, string exportFolder, Qwen25VLForConditionalGeneration torchModel, PreparedPrompt prompt, int rows, string scratch)
    {
        var c = torchModel.Config;
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        options.AddSessionConfigEntry("session.disable_prepacking", "1");
        using var decoder = new InferenceSession(Path.Combine(exportFolder, "decoder.onnx"), options);
        var products = Path.Combine(scratch, "products.onnx");
        var productsInCache = Path.Combine(scratch, "products-one-layer.onnx");
        WriteProducts(c, rows, products, sharedLayer: false);
        WriteProducts(c, rows, productsInCache, sharedLayer: true);
        using var productSession = new InferenceSession(products, options);
        using var inCacheSession = new InferenceSession(productsInCache, options);
        var weights = TorchWeights(c);
        try
        {
            var prefix = prompt.TokenIds.Length;
            var ortStep = Median(() => OrtSteps(decoder, c, rows, prefix) / Steps);
            var ortProducts = Median(() => OrtProducts(productSession, c, rows));
            var ortInCache = Median(() => OrtProducts(inCacheSession, c, rows));
            var torchStep = Median(() => TorchSteps(torchModel, prompt, rows) / Steps);
            var torchProducts = Median(() => TorchProducts(weights, c, rows));
            return $"| {preset} | {rows} | {ortStep:F2} | {ortProducts:F2} | {ortInCache:F2} | {100 * ortProducts / ortStep:F0} % | " +
                   $"{torchStep:F2} | {torchProducts:F2} | {torchStep / ortStep:F2}× | {torchStep / ortProducts:F2}× |";
        }
        finally
        {
            foreach (var w in weights.SelectMany(l => l))
            {
                w.Dispose();
            }
        }
    }

    /// <summary>Median of 5 timed runs after one warm-up, each after a 300 ms pause (worker threads of the other engine spin down).</summary>
    private static double Median(Func<double> run)
    {
        run();
        return Enumerable.Range(0, 5).Select(_ =>
        {
            Thread.Sleep(300);
            return run();
        }).Order().ElementAt(2);
    }

    /// <summary>Per layer q, k, v, o, gate, up, down, then the head: the products of a decode step, [out, in] · [in, rows].</summary>
    private static (long Out, long In)[] Shapes(Qwen25VLConfig c, int layer) => layer < c.NumHiddenLayers
        ?
        [
            (c.NumAttentionHeads * c.HeadDim, c.HiddenSize), (c.NumKeyValueHeads * c.HeadDim, c.HiddenSize),
            (c.NumKeyValueHeads * c.HeadDim, c.HiddenSize), (c.HiddenSize, c.NumAttentionHeads * c.HeadDim),
            (c.IntermediateSize, c.HiddenSize), (c.IntermediateSize, c.HiddenSize), (c.HiddenSize, c.IntermediateSize),
        ]
        : [(c.VocabSize, c.HiddenSize)];

    /// <summary>
    /// The products as one ONNX graph on [H, rows] columns, chained through down so the layers run in order; every other
    /// product is a graph output so none is pruned. Weights random (the values do not change the time), in external data.
    /// </summary>
    private static void WriteProducts(Qwen25VLConfig c, int rows, string path, bool sharedLayer)
    {
        var g = new GraphBuilder("decode_step_products");
        var x = g.Input("x", F32, c.HiddenSize, rows);
        var random = new Random(1);
        var weights = new Dictionary<(int, int), string>();
        string Weight(int layer, int index, long outDim, long inDim)
        {
            var key = (sharedLayer && layer < c.NumHiddenLayers ? 0 : layer, index);
            if (!weights.TryGetValue(key, out var name))
            {
                var values = new float[outDim * inDim];
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = (float)(random.NextDouble() - 0.5) * 0.05f;
                }
                name = g.Initializer($"w.{key.Item1}.{index}", TensorPayload.Floats([outDim, inDim], F32, () => values), overridable: false);
                weights[key] = name;
            }
            return name;
        }
        var outputs = new List<string>();
        for (var layer = 0; layer <= c.NumHiddenLayers; layer++)
        {
            var shapes = Shapes(c, layer);
            if (layer == c.NumHiddenLayers)
            {
                outputs.Add(g.MatMul(Weight(layer, 0, shapes[0].Out, shapes[0].In), x));
                break;
            }
            string P(int i, string input) => g.MatMul(Weight(layer, i, shapes[i].Out, shapes[i].In), input);
            outputs.AddRange([P(0, x), P(1, x), P(2, x), P(3, x), P(5, x)]);
            x = P(6, P(4, x));
        }
        for (var i = 0; i < outputs.Count; i++)
        {
            var name = g.NamedNode("Identity", [outputs[i]], $"y{i}");
            g.Output(name, F32, -1, rows);
        }
        OnnxModelWriter.Write(g.Build(), path, ExternalDataMode.Always);
    }

    private static double OrtProducts(InferenceSession session, Qwen25VLConfig c, int rows)
    {
        var random = new Random(2);
        var x = new DenseTensor<float>(Enumerable.Range(0, c.HiddenSize * rows).Select(_ => (float)random.NextDouble() - 0.5f).ToArray(), [c.HiddenSize, rows]);
        var inputs = new[] { NamedOnnxValue.CreateFromTensor("x", x) };
        var clock = Stopwatch.StartNew();
        for (var s = 0; s < Steps; s++)
        {
            using var _ = session.Run(inputs);
        }
        return clock.Elapsed.TotalMilliseconds / Steps;
    }

    /// <summary>
    /// <see cref="Steps"/> decode steps of the exported decoder after a prefix of <paramref name="prefix"/> cached positions
    /// (random keys and values, every position valid), each step's presents the next step's past; total ms.
    /// </summary>
    private static double OrtSteps(InferenceSession decoder, Qwen25VLConfig c, int rows, int prefix)
    {
        var random = new Random(3);
        var width = c.HeadDim + 1;   // the KV validity channel (DecoderGraph)
        var embeds = new DenseTensor<float>(Enumerable.Range(0, rows * c.HiddenSize).Select(_ => (float)random.NextDouble() - 0.5f).ToArray(), [rows, 1, c.HiddenSize]);
        var past = new List<NamedOnnxValue>();
        for (var i = 0; i < c.NumHiddenLayers; i++)
        {
            foreach (var kind in new[] { "key", "value" })
            {
                var data = new float[rows * c.NumKeyValueHeads * prefix * width];
                for (var j = 0; j < data.Length; j++)
                {
                    data[j] = j % width == c.HeadDim ? 1f : (float)random.NextDouble() - 0.5f;
                }
                past.Add(NamedOnnxValue.CreateFromTensor($"past_key_values.{i}.{kind}",
                    new DenseTensor<float>(data, [rows, c.NumKeyValueHeads, prefix, width])));
            }
        }
        IDisposableReadOnlyCollection<DisposableNamedOnnxValue>? previous = null;
        var clock = Stopwatch.StartNew();
        try
        {
            for (var s = 0; s < Steps; s++)
            {
                var total = prefix + s + 1;
                var inputs = new List<NamedOnnxValue>
                {
                    NamedOnnxValue.CreateFromTensor("inputs_embeds", embeds),
                    NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor<long>(Enumerable.Repeat(1L, rows * total).ToArray(), [rows, total])),
                    NamedOnnxValue.CreateFromTensor("position_ids", new DenseTensor<long>(Enumerable.Repeat((long)(total - 1), 3 * rows).ToArray(), [3, rows, 1])),
                };
                inputs.AddRange(previous is null ? past : previous.Skip(1).Select((v, i) =>
                    NamedOnnxValue.CreateFromTensor($"past_key_values.{i / 2}.{(i % 2 == 0 ? "key" : "value")}", v.AsTensor<float>())));
                var outputs = decoder.Run(inputs);
                previous?.Dispose();
                previous = outputs;
            }
            return clock.Elapsed.TotalMilliseconds;
        }
        finally
        {
            previous?.Dispose();
        }
    }

    /// <summary>The prompt prefilled once and its cache repeated to the rows, then <see cref="Steps"/> timed steps; total ms.</summary>
    private static double TorchSteps(Qwen25VLForConditionalGeneration model, PreparedPrompt prompt, int rows)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var ids = tensor(prompt.TokenIds.Select(i => (long)i).ToArray()).unsqueeze(0);                  // [1, L]
        var pixels = prompt.Images.Count == 0 ? null
            : cat(prompt.Images.Select(i => tensor(i.PixelValues, [i.Patches, i.PatchDim])).ToArray(), 0);
        var grids = prompt.Images.Select(i => new GridThw(i.GridT, i.GridH, i.GridW)).ToList();
        var next = model.PositionIds(ids, ones_like(ids), grids).amax([2], keepdim: true).expand(3, rows, 1) + 1; // [3, B, 1]
        using var prefill = new KvCache(model, 1, ids.shape[1] + Steps);
        model.CachedLogits(new Qwen25VLInputs(ids, null, pixels, grids), prefill).Dispose();
        using var cache = prefill.Repeat(rows);
        var token = full(rows, 1, 7L, dtype: ScalarType.Int64);
        var clock = Stopwatch.StartNew();
        for (var s = 0; s < Steps; s++)
        {
            using var step = NewDisposeScope();
            var mask = ones(rows, ids.shape[1] + s + 1, dtype: ScalarType.Int64);
            _ = model.CachedLogits(new Qwen25VLInputs(token, mask, PositionIds: next + s), cache).data<float>()[0];
        }
        return clock.Elapsed.TotalMilliseconds;
    }

    private static TorchSharp.torch.Tensor[][] TorchWeights(Qwen25VLConfig c) =>
        Enumerable.Range(0, c.NumHiddenLayers + 1).Select(layer => Shapes(c, layer).Select(s => randn(s.Out, s.In) * 0.05).ToArray()).ToArray();

    /// <summary>The same products as the TorchSharp model computes them: <c>linear(x [rows, in], W [out, in])</c>; ms per step.</summary>
    private static double TorchProducts(TorchSharp.torch.Tensor[][] weights, Qwen25VLConfig c, int rows)
    {
        using var noGrad = no_grad();
        var x0 = randn(rows, c.HiddenSize);
        var clock = Stopwatch.StartNew();
        for (var s = 0; s < Steps; s++)
        {
            using var step = NewDisposeScope();
            var x = x0;
            foreach (var layer in weights)
            {
                if (layer.Length == 1)
                {
                    _ = nn.functional.linear(x, layer[0]).data<float>()[0];
                    break;
                }
                for (var i = 0; i < 4; i++)
                {
                    nn.functional.linear(x, layer[i]);
                }
                nn.functional.linear(x, layer[5]);
                x = nn.functional.linear(nn.functional.linear(x, layer[4]), layer[6]);
            }
        }
        var ms = clock.Elapsed.TotalMilliseconds / Steps;
        x0.Dispose();
        return ms;
    }
}
