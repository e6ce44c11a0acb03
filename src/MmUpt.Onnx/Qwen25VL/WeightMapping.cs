namespace MmUpt.Onnx.Qwen25VL;

/// <summary>
/// One learner parameter (canonical HF name and shape) as one ONNX initializer. A parameter can have several
/// mappings: with tied embeddings <c>model.embed_tokens.weight</c> is both the embedding table and the transposed lm_head.
/// </summary>
public sealed record WeightMapping(string Parameter, long[] ParameterShape, Qwen25VLGraph Graph, string OnnxName, WeightLayout Layout)
{
    public long[] OnnxShape => WeightLayouts.OnnxShape(Layout, ParameterShape);
}
