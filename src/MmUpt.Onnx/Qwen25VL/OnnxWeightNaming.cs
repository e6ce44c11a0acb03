using MmUpt.Checkpoint;

namespace MmUpt.Onnx.Qwen25VL;

/// <summary>
/// The ONNX naming rule: which initializer(s) a checkpoint tensor becomes. Names follow the ORT GenAI model builder
/// (<c>model.layers.{i}.attn.q_proj.MatMul.weight</c>, <c>….Add.bias</c>, <c>lm_head.MatMul.weight</c>,
/// <c>model.layers.{N}.final_norm_layernorm.weight</c>); the vision tower applies the same rule to its modules.
/// The vision tower's linear and conv weights are stored for x·W ([in, out]); the text decoder's as they are ([out, in]),
/// for W·xᵀ with its biases as columns [out, 1] (DecoderGraph: ONNX Runtime then reads the weight matrix where it lies
/// instead of packing it on every call); norms and the embedding table as they are. With tied embeddings
/// <c>model.embed_tokens.weight</c> is also the decoder's lm_head.
/// </summary>
internal static class OnnxWeightNaming
{
    public static IEnumerable<(Qwen25VLGraph Graph, string OnnxName, WeightLayout Layout)> For(WeightSpec spec, Qwen25VLConfig c)
    {
        const string Head = "lm_head.MatMul.weight";
        switch (spec.Name)
        {
            case "model.embed_tokens.weight":
                yield return (Qwen25VLGraph.Embedding, spec.Name, WeightLayout.AsIs);
                if (c.TieWordEmbeddings) yield return (Qwen25VLGraph.Decoder, Head, WeightLayout.AsIs);
                yield break;
            case "lm_head.weight":
                yield return (Qwen25VLGraph.Decoder, Head, WeightLayout.AsIs);
                yield break;
            case "model.norm.weight":
                yield return (Qwen25VLGraph.Decoder, $"model.layers.{c.NumHiddenLayers}.final_norm_layernorm.weight", WeightLayout.AsIs);
                yield break;
        }
        var graph = spec.Name.StartsWith("visual.", StringComparison.Ordinal) ? Qwen25VLGraph.Vision : Qwen25VLGraph.Decoder;
        var module = spec.Name[..spec.Name.LastIndexOf('.')].Replace(".self_attn.", ".attn.", StringComparison.Ordinal);
        var decoder = graph == Qwen25VLGraph.Decoder;
        yield return spec.Role switch
        {
            WeightRole.Norm => (graph, spec.Name, WeightLayout.AsIs),
            WeightRole.Bias => (graph, $"{module}.Add.bias", decoder ? WeightLayout.Column : WeightLayout.AsIs),
            _ => (graph, $"{module}.MatMul.weight",
                decoder ? WeightLayout.AsIs : spec.Shape.Length == 2 ? WeightLayout.Transposed : WeightLayout.FlattenTransposed),
        };
    }
}
