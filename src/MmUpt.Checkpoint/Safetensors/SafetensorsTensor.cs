namespace MmUpt.Checkpoint.Safetensors;

/// <summary>
/// A tensor to be written. <see cref="WriteData"/> must write exactly <see cref="ByteLength"/> bytes; it lets a
/// caller stream from native tensor memory without first copying into a managed array.
/// </summary>
public sealed record SafetensorsTensor(string Name, SafetensorsDType DType, long[] Shape, TensorBytesWriter WriteData)
{
    public long ByteLength => Shape.Aggregate(1L, (a, b) => a * b) * DType.ElementSize();

    /// <summary>A tensor whose bytes are already in memory.</summary>
    public static SafetensorsTensor FromBytes(string name, SafetensorsDType dtype, long[] shape, ReadOnlyMemory<byte> data)
    {
        var t = new SafetensorsTensor(name, dtype, shape, s => s.Write(data.Span));
        if (t.ByteLength != data.Length)
            throw new ArgumentException($"tensor {name}: {data.Length} bytes given, shape [{string.Join(",", shape)}] of {dtype} needs {t.ByteLength}");
        return t;
    }

    public static SafetensorsTensor FromFloats(string name, long[] shape, float[] values) =>
        FromBytes(name, SafetensorsDType.F32, shape, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
}
