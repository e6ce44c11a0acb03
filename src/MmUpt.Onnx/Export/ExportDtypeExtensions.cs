using MmUpt.Onnx.Proto;

namespace MmUpt.Onnx.Export;

/// <summary>The one mapping from <see cref="ExportDtype"/> to the ONNX element type weights are stored as.</summary>
public static class ExportDtypeExtensions
{
    public static TensorProto.Types.DataType OnnxType(this ExportDtype dtype) => dtype switch
    {
        ExportDtype.Fp32 => TensorProto.Types.DataType.Float,
        ExportDtype.Fp16 => TensorProto.Types.DataType.Float16,
        ExportDtype.Bf16 => TensorProto.Types.DataType.Bfloat16,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown export dtype"),
    };
}
