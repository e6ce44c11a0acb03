using System.Runtime.InteropServices;

namespace MmUpt.Checkpoint.Safetensors;

/// <summary>Conversions between float32 and the stored 16-bit formats (round to nearest even, as torch does).</summary>
public static class ElementConversions
{
    public static float[] ToFloat32(ReadOnlySpan<byte> bytes, SafetensorsDType dtype, string where)
    {
        switch (dtype)
        {
            case SafetensorsDType.F32:
                return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
            case SafetensorsDType.F64:
                return MemoryMarshal.Cast<byte, double>(bytes).ToArray().Select(d => (float)d).ToArray();
            case SafetensorsDType.F16:
            {
                var src = MemoryMarshal.Cast<byte, Half>(bytes);
                var dst = new float[src.Length];
                for (var i = 0; i < src.Length; i++) dst[i] = (float)src[i];
                return dst;
            }
            case SafetensorsDType.BF16:
            {
                var src = MemoryMarshal.Cast<byte, ushort>(bytes);
                var dst = new float[src.Length];
                for (var i = 0; i < src.Length; i++) dst[i] = BitConverter.Int32BitsToSingle(src[i] << 16);
                return dst;
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
