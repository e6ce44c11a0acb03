using MmUpt.Checkpoint;
using MmUpt.Onnx.Graph;
using MmUpt.Onnx.Proto;

namespace MmUpt.Onnx.Qwen25VL;

/// <summary>
/// input_ids [B,S] + image_features [N,H] → inputs_embeds [B,S,H]: the embedding table, with the k-th image token
/// (in row-major order over the batch) replaced by image feature row k (HF <c>masked_scatter</c>). Decode steps pass
/// N = 0; an image token with no feature row left (one the model generated) keeps its table embedding, as in HF.
/// </summary>
internal static class EmbeddingGraph
{
    public static OnnxModel Build(Qwen25VLConfig a, Func<GraphBuilder, WeightBinder> bind)
    {
        var g = new GraphBuilder("qwen2_5_vl_embedding");
        var w = bind(g);
        var ids = g.Input("input_ids", TensorProto.Types.DataType.Int64, "batch_size", "sequence_length");
        var features = g.Input("image_features", TensorProto.Types.DataType.Float, "num_image_tokens", a.HiddenSize);
        using (g.Scope("model/embed_tokens"))
        {
            var text = g.Gather(w["model.embed_tokens.weight"], ids);                   // [B,S,H]
            var flatIds = g.Reshape(ids, -1);                                             // [B·S]
            var isImage = g.Equal(flatIds, g.Int64Scalar(a.ImageTokenId));                // [B·S]
            var ordinal = g.CumSum(g.Cast(isImage, TensorProto.Types.DataType.Int64), 0); // k-th image token → k (1-based)
            var rows = g.Dim(features, 0);
            var useImage = g.And(isImage, g.LessOrEqual(ordinal, rows));
            var index = g.Where(useImage, ordinal, g.Int64Scalar(0));                     // 0 = the zero row below
            var padded = g.Concat(0, g.Floats([1, a.HiddenSize], new float[a.HiddenSize]), features); // [N+1,H]
            var image = g.Gather(padded, index);                                          // [B·S,H]
            var flatText = g.Reshape(text, -1, a.HiddenSize);                             // [B·S,H]
            var merged = g.Where(g.Unsqueeze(useImage, 1), image, flatText);              // [B·S,H]
            g.NamedNode("Reshape", [merged, g.Shape(text, 0, 3)], "inputs_embeds");       // [B,S,H]
        }
        g.Output("inputs_embeds", TensorProto.Types.DataType.Float, "batch_size", "sequence_length", a.HiddenSize);
        return g.Build();
    }
}
