namespace MmUpt.Onnx.Qwen25VL;

/// <summary>How a learner (HF) parameter is laid out as an ONNX initializer.</summary>
public enum WeightLayout
{
    /// <summary>
    /// Same shape and order (norm weights, the embedding table, and the text decoder's linear weights [out, in], which
    /// it multiplies from the left: W·xᵀ).
    /// </summary>
    AsIs,

    /// <summary>A bias [out] stored as the column [out, 1] (same data), added to W·xᵀ in the text decoder.</summary>
    Column,

    /// <summary>Linear weight [out, in] stored for MatMul as [in, out].</summary>
    Transposed,

    /// <summary>Conv3d patch embedding [out, C, T, P, P] flattened to [out, C·T·P·P] and stored for MatMul as [C·T·P·P, out].</summary>
    FlattenTransposed,
}
