namespace MmUpt.Onnx.Export;

/// <summary>
/// Storage type of the trained weights. Graph inputs, outputs, the KV cache and all arithmetic stay fp32, so every
/// variant runs on the CPU provider; fp16/bf16 halve the files and the adapters (each weight is Cast to fp32 where used).
/// </summary>
public enum ExportDtype
{
    Fp32,
    Fp16,
    Bf16,
}
