namespace MmUpt.Onnx.Qwen25VL;

/// <summary>How a learner (HF) parameter is laid out as an ONNX initializer.</summary>
public enum WeightLayout
{
    /// <summary>Same shape and order (norm weights, biases, the embedding table).</summary>
    AsIs,

    /// <summary>Linear weight [out, in] stored for MatMul as [in, out].</summary>
    Transposed,

    /// <summary>Conv3d patch embedding [out, C, T, P, P] flattened to [out, C·T·P·P] and stored for MatMul as [C·T·P·P, out].</summary>
    FlattenTransposed,
}
