using System.Runtime.InteropServices;

namespace MmUpt.Checkpoint.Safetensors;

/// <summary>Conversions between float32 and the stored 16-bit formats (round to nearest even, as torch does).</summary>
public static class ElementConversions
{
    public static float[] ToFloat32(ReadOnlySpan<byte> bytes, SafetensorsDType dtype, string where)
    {
        var dst = new float[bytes.Length / Math.Max(1, dtype.ElementSize())];
        ToFloat32(bytes, dtype, dst, where);
        return dst;
    }

    /// <summary>Converts <paramref name="bytes"/> (whole elements of <paramref name="dtype"/>) into <paramref name="destination"/>.</summary>
    public static void ToFloat32(ReadOnlySpan<byte> bytes, SafetensorsDType dtype, Span<float> destination, string where)
    {
        switch (dtype)
        {
            case SafetensorsDType.F32:
                MemoryMarshal.Cast<byte, float>(bytes).CopyTo(destination);
                break;
            case SafetensorsDType.F64:
            {
                var src = MemoryMarshal.Cast<byte, double>(bytes);
                for (var i = 0; i < src.Length; i++) destination[i] = (float)src[i];
                break;
            }
            case SafetensorsDType.F16:
            {
                var src = MemoryMarshal.Cast<byte, Half>(bytes);
                for (var i = 0; i < src.Length; i++) destination[i] = (float)src[i];
                break;
            }
            case SafetensorsDType.BF16:
            {
                var src = MemoryMarshal.Cast<byte, ushort>(bytes);
                for (var i = 0; i < src.Length; i++) destination[i] = BitConverter.Int32BitsToSingle(src[i] << 16);
                break;
            }
            default:
                throw new CheckpointFormatException($"{where}: {dtype} is not a floating-point type");
        }
    }

    /// <summary>float32 → the bytes of <paramref name="dtype"/> (F32, BF16, F16).</summary>
    public static byte[] FromFloat32(ReadOnlySpan<float> values, SafetensorsDType dtype) => dtype switch
    {
        SafetensorsDType.F32 => MemoryMarshal.AsBytes(values).ToArray(),
        SafetensorsDType.F16 => MemoryMarshal.AsBytes(Convert(values, v => (Half)v).AsSpan()).ToArray(),
        SafetensorsDType.BF16 => MemoryMarshal.AsBytes(Convert(values, ToBFloat16Bits).AsSpan()).ToArray(),
        _ => throw new ArgumentException($"cannot store float32 values as {dtype}"),
    };

    /// <summary>Round-to-nearest-even truncation of a float32 to its upper 16 bits; NaN stays a quiet NaN.</summary>
    public static ushort ToBFloat16Bits(float v)
    {
        var bits = BitConverter.SingleToUInt32Bits(v);
        if (float.IsNaN(v)) return (ushort)((bits >> 16) | 0x40);
        var rounding = 0x7FFFu + ((bits >> 16) & 1);
        return (ushort)((bits + rounding) >> 16);
    }

    private static T[] Convert<T>(ReadOnlySpan<float> values, Func<float, T> f)
    {
        var dst = new T[values.Length];
        for (var i = 0; i < values.Length; i++) dst[i] = f(values[i]);
        return dst;
    }
}
