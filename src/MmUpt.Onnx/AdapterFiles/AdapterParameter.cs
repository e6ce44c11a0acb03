using MmUpt.Onnx.Proto;

namespace MmUpt.Onnx.AdapterFiles;

/// <summary>One tensor of an ORT adapter: an overridable initializer's name, shape, element type and raw bytes.</summary>
public sealed record AdapterParameter(string Name, long[] Dims, TensorProto.Types.DataType DataType, ReadOnlyMemory<byte> RawData);
