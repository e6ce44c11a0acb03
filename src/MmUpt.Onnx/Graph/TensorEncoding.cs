using System.Buffers.Binary;
using System.Runtime.InteropServices;
using MmUpt.Onnx.Proto;

namespace MmUpt.Onnx.Graph;

/// <summary>
/// Byte encoding of tensor data as ONNX raw_data, external data and ORT adapters all use it:
/// little-endian, row-major, FLOAT16/BFLOAT16 as raw 16-bit patterns.
/// </summary>
public static class TensorEncoding
{
    public static int ElementSize(TensorProto.Types.DataType type) => type switch
    {
        TensorProto.Types.DataType.Float => 4,
        TensorProto.Types.DataType.Float16 => 2,
        TensorProto.Types.DataType.Bfloat16 => 2,
        TensorProto.Types.DataType.Int64 => 8,
        TensorProto.Types.DataType.Int32 => 4,
        TensorProto.Types.DataType.Bool => 1,
        TensorProto.Types.DataType.Uint8 => 1,
        _ => throw new NotSupportedException($"tensor element type {type} is not written by MmUpt.Onnx"),
    };

    /// <summary>Writes <paramref name="values"/> converted to <paramref name="type"/> (FLOAT, FLOAT16 or BFLOAT16).</summary>
    public static void WriteFloats(Stream stream, ReadOnlySpan<float> values, TensorProto.Types.DataType type)
    {
        if (type == TensorProto.Types.DataType.Float && BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(values));
            return;
        }
        const int Chunk = 1 << 16;
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(Chunk * ElementSize(type));   // pooled: callers stream in pieces
        try
        {
            for (var start = 0; start < values.Length; start += Chunk)
            {
                var part = values.Slice(start, Math.Min(Chunk, values.Length - start));
                var bytes = buffer.AsSpan(0, part.Length * ElementSize(type));
                Encode(part, type, bytes);
                stream.Write(bytes);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static byte[] EncodeFloats(ReadOnlySpan<float> values, TensorProto.Types.DataType type)
    {
        var bytes = new byte[checked(values.Length * ElementSize(type))];
        Encode(values, type, bytes);
        return bytes;
    }

    private static void Encode(ReadOnlySpan<float> values, TensorProto.Types.DataType type, Span<byte> bytes)
    {
        switch (type)
        {
            case TensorProto.Types.DataType.Float:
                for (var i = 0; i < values.Length; i++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(bytes[(i * 4)..], values[i]);
                }
                break;
            case TensorProto.Types.DataType.Float16:
                for (var i = 0; i < values.Length; i++)
                {
                    BinaryPrimitives.WriteHalfLittleEndian(bytes[(i * 2)..], (Half)values[i]);
                }
                break;
            case TensorProto.Types.DataType.Bfloat16:
                for (var i = 0; i < values.Length; i++)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(bytes[(i * 2)..], ToBFloat16(values[i]));
                }
                break;
            default:
                throw new NotSupportedException($"float data cannot be stored as {type}");
        }
    }

    /// <summary>fp32 → bf16 with round-to-nearest-even, NaN kept quiet (as torch's <c>.bfloat16()</c>).</summary>
    public static ushort ToBFloat16(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
        {
            return (ushort)((bits >> 16) | 0x0040);
        }
        var rounding = 0x7FFFu + ((bits >> 16) & 1);
        return (ushort)((bits + rounding) >> 16);
    }

    public static float FromBFloat16(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);
}
