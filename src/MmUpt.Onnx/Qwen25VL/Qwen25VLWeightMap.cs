namespace MmUpt.Onnx.Qwen25VL;

/// <summary>
/// The single name/layout map from learner parameters (canonical HF names) to ONNX initializers, used by the export
/// (which initializer gets which tensor) and by weight publishing (which adapter parameter a trained tensor becomes).
/// Decoder names follow the ORT GenAI model builder (<c>model.layers.{i}.attn.q_proj.MatMul.weight</c>, MatMul weights
/// [in, out]); vision names apply the same rule to the vision tower's modules.
/// </summary>
public sealed class Qwen25VLWeightMap
{
    private readonly List<WeightMapping> _all = [];
    private readonly Dictionary<string, WeightMapping> _byOnnx = new(StringComparer.Ordinal);

    public Qwen25VLWeightMap(Qwen25VLArchitecture a)
    {
        long h = a.HiddenSize, inter = a.IntermediateSize, d = a.HeadDim, q = a.NumAttentionHeads * d, kv = a.NumKeyValueHeads * d;
        Add("model.embed_tokens.weight", [a.VocabSize, h], Qwen25VLGraph.Embedding, "model.embed_tokens.weight", WeightLayout.AsIs);
        for (var i = 0; i < a.NumHiddenLayers; i++)
        {
            var hf = $"model.layers.{i}";
            var dec = Qwen25VLGraph.Decoder;
            Add($"{hf}.input_layernorm.weight", [h], dec, $"{hf}.input_layernorm.weight", WeightLayout.AsIs);
            foreach (var (p, outDim) in new[] { ("q_proj", q), ("k_proj", kv), ("v_proj", kv) })
            {
                Add($"{hf}.self_attn.{p}.weight", [outDim, h], dec, $"{hf}.attn.{p}.MatMul.weight", WeightLayout.Transposed);
                Add($"{hf}.self_attn.{p}.bias", [outDim], dec, $"{hf}.attn.{p}.Add.bias", WeightLayout.AsIs);
            }
            Add($"{hf}.self_attn.o_proj.weight", [h, q], dec, $"{hf}.attn.o_proj.MatMul.weight", WeightLayout.Transposed);
            Add($"{hf}.post_attention_layernorm.weight", [h], dec, $"{hf}.post_attention_layernorm.weight", WeightLayout.AsIs);
            Add($"{hf}.mlp.gate_proj.weight", [inter, h], dec, $"{hf}.mlp.gate_proj.MatMul.weight", WeightLayout.Transposed);
            Add($"{hf}.mlp.up_proj.weight", [inter, h], dec, $"{hf}.mlp.up_proj.MatMul.weight", WeightLayout.Transposed);
            Add($"{hf}.mlp.down_proj.weight", [h, inter], dec, $"{hf}.mlp.down_proj.MatMul.weight", WeightLayout.Transposed);
        }
        Add("model.norm.weight", [h], Qwen25VLGraph.Decoder, $"model.layers.{a.NumHiddenLayers}.final_norm_layernorm.weight", WeightLayout.AsIs);
        Add(a.TieWordEmbeddings ? "model.embed_tokens.weight" : "lm_head.weight", [a.VocabSize, h], Qwen25VLGraph.Decoder,
            "lm_head.MatMul.weight", WeightLayout.Transposed);
        AddVision(a.Vision);
    }

    public IReadOnlyList<WeightMapping> All => _all;

    /// <summary>Learner parameters, each once, in map order.</summary>
    public IEnumerable<string> Parameters => _all.Select(m => m.Parameter).Distinct(StringComparer.Ordinal);

    public IEnumerable<WeightMapping> ForGraph(Qwen25VLGraph graph) => _all.Where(m => m.Graph == graph);

    /// <summary>Every initializer fed by <paramref name="parameter"/> (either HF layout); empty for unknown names.</summary>
    public IReadOnlyList<WeightMapping> ForParameter(string parameter)
    {
        var canonical = Qwen25VLNames.Canonical(parameter);
        return _all.Where(m => m.Parameter == canonical).ToArray();
    }

    public WeightMapping ForOnnx(string onnxName) => _byOnnx.TryGetValue(onnxName, out var m)
        ? m
        : throw new KeyNotFoundException($"no learner parameter maps to ONNX initializer '{onnxName}'");

    private void AddVision(Qwen25VLVisionArchitecture v)
    {
        long hv = v.HiddenSize, iv = v.IntermediateSize, merged = v.HiddenSize * v.SpatialMergeSize * v.SpatialMergeSize;
        var g = Qwen25VLGraph.Vision;
        Add("visual.patch_embed.proj.weight", [hv, v.InChannels, v.TemporalPatchSize, v.PatchSize, v.PatchSize], g,
            "visual.patch_embed.proj.MatMul.weight", WeightLayout.FlattenTransposed);
        for (var j = 0; j < v.Depth; j++)
        {
            var b = $"visual.blocks.{j}";
            Add($"{b}.norm1.weight", [hv], g, $"{b}.norm1.weight", WeightLayout.AsIs);
            Add($"{b}.norm2.weight", [hv], g, $"{b}.norm2.weight", WeightLayout.AsIs);
            Linear($"{b}.attn.qkv", 3 * hv, hv);
            Linear($"{b}.attn.proj", hv, hv);
            Linear($"{b}.mlp.gate_proj", iv, hv);
            Linear($"{b}.mlp.up_proj", iv, hv);
            Linear($"{b}.mlp.down_proj", hv, iv);
        }
        Add("visual.merger.ln_q.weight", [hv], g, "visual.merger.ln_q.weight", WeightLayout.AsIs);
        Linear("visual.merger.mlp.0", merged, merged);
        Linear("visual.merger.mlp.2", v.OutHiddenSize, merged);

        void Linear(string module, long outDim, long inDim)
        {
            Add($"{module}.weight", [outDim, inDim], g, $"{module}.MatMul.weight", WeightLayout.Transposed);
            Add($"{module}.bias", [outDim], g, $"{module}.Add.bias", WeightLayout.AsIs);
        }
    }

    private void Add(string parameter, long[] shape, Qwen25VLGraph graph, string onnxName, WeightLayout layout)
    {
        var m = new WeightMapping(parameter, shape, graph, onnxName, layout);
        _all.Add(m);
        _byOnnx.Add(onnxName, m);
    }
}
