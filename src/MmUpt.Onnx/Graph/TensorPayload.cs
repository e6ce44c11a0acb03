using MmUpt.Onnx.Proto;

namespace MmUpt.Onnx.Graph;

/// <summary>
/// The data of one initializer: its shape and element type are known up front (for the graph and the external-data
/// layout); the bytes are produced only when the file is written, so a large checkpoint streams one tensor at a time.
/// </summary>
public abstract class TensorPayload
{
    protected TensorPayload(IReadOnlyList<long> shape, TensorProto.Types.DataType type)
    {
        Shape = shape.ToArray();
        Type = type;
        ElementCount = Shape.Aggregate(1L, (a, b) => checked(a * b));
    }

    public IReadOnlyList<long> Shape { get; }

    public TensorProto.Types.DataType Type { get; }

    public long ElementCount { get; }

    public long ByteLength => ElementCount * TensorEncoding.ElementSize(Type);

    /// <summary>Writes exactly <see cref="ByteLength"/> bytes.</summary>
    public abstract void WriteTo(Stream stream);

    public static TensorPayload Int64(IReadOnlyList<long> shape, long[] values) => new Int64Payload(shape, values);

    public static TensorPayload Bool(IReadOnlyList<long> shape, bool[] values) => new BoolPayload(shape, values);

    /// <summary>Float data stored as FLOAT, FLOAT16 or BFLOAT16; <paramref name="load"/> runs once per write.</summary>
    public static TensorPayload Floats(IReadOnlyList<long> shape, TensorProto.Types.DataType storedAs, Func<float[]> load) =>
        new FloatPayload(shape, storedAs, load);

    private sealed class Int64Payload(IReadOnlyList<long> shape, long[] values)
        : TensorPayload(shape, TensorProto.Types.DataType.Int64)
    {
        public override void WriteTo(Stream stream)
        {
            Span<byte> b = stackalloc byte[8];
            foreach (var v in values)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(b, v);
                stream.Write(b);
            }
        }
    }

    private sealed class BoolPayload(IReadOnlyList<long> shape, bool[] values)
        : TensorPayload(shape, TensorProto.Types.DataType.Bool)
    {
        public override void WriteTo(Stream stream)
        {
            foreach (var v in values)
            {
                stream.WriteByte(v ? (byte)1 : (byte)0);
            }
        }
    }

    private sealed class FloatPayload(IReadOnlyList<long> shape, TensorProto.Types.DataType storedAs, Func<float[]> load)
        : TensorPayload(shape, storedAs)
    {
        public override void WriteTo(Stream stream)
        {
            var values = load();
            if (values.LongLength != ElementCount)
            {
                throw new InvalidDataException(
                    $"tensor data has {values.LongLength} elements, its shape [{string.Join(",", Shape)}] needs {ElementCount}");
            }
            TensorEncoding.WriteFloats(stream, values, Type);
        }
    }
}
