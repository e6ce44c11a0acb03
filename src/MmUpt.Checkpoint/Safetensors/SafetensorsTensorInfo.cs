namespace MmUpt.Checkpoint.Safetensors;

/// <summary>One header entry: the tensor's type, shape and byte range relative to the data section.</summary>
public sealed record SafetensorsTensorInfo(string Name, SafetensorsDType DType, long[] Shape, long Begin, long End)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    public long ByteLength => End - Begin;
}
