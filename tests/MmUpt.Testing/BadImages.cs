using System.Buffers.Binary;
using System.IO.Compression;

namespace MmUpt.Testing;

/// <summary>PNG files that are wrong in the ways issue 11 found: valid header with a garbage body, extreme shapes, huge declared sizes.</summary>
public static class BadImages
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>A valid signature and IHDR chunk for an RGB image of <paramref name="width"/>×<paramref name="height"/>, then <paramref name="body"/>.</summary>
    public static byte[] HeaderThen(int width, int height, byte[] body)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;   // bit depth
        ihdr[9] = 2;   // colour type RGB
        return [.. Signature, .. Chunk("IHDR", ihdr), .. body];
    }

    /// <summary>A valid PNG header followed by pseudo-random bytes instead of IDAT chunks.</summary>
    public static byte[] GarbageBody(int width = 64, int height = 64) =>
        HeaderThen(width, height, [.. Enumerable.Range(0, 2048).Select(i => (byte)(i * 131 + 7))]);

    /// <summary>A complete, valid black PNG, streamed so that even 20000×20000 (1.2 MB on disk) is cheap to make.</summary>
    public static byte[] Black(int width, int height)
    {
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var row = new byte[1 + width * 3];   // filter byte 0, then RGB zeros
            for (var y = 0; y < height; y++) z.Write(row);
        }
        return [.. HeaderThen(width, height, [.. Chunk("IDAT", compressed.ToArray()), .. Chunk("IEND", [])])];
    }

    private static byte[] Chunk(string type, byte[] data)
    {
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32([.. typeBytes, .. data]));
        return [.. length, .. typeBytes, .. data, .. crc];
    }

    // The PNG chunk CRC (ISO 3309, reflected polynomial 0xEDB88320), bitwise: test inputs are small.
    private static uint Crc32(byte[] bytes)
    {
        var c = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            c ^= b;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        }
        return ~c;
    }
}
