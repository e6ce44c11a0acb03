using System.Buffers.Binary;
using System.Text.Json;
using System.Text;
using MmUpt.Checkpoint.Safetensors;
using MmUpt.Testing;

namespace MmUpt.Checkpoint.Tests;

public class SafetensorsTests
{
    private static SafetensorsTensor Random(string name, SafetensorsDType dtype, long[] shape, int seed)
    {
        var bytes = new byte[shape.Aggregate(1L, (a, b) => a * b) * dtype.ElementSize()];
        new Random(seed).NextBytes(bytes);
        return SafetensorsTensor.FromBytes(name, dtype, shape, bytes);
    }

    private static List<SafetensorsTensor> Mixed() =>
    [
        Random("model.embed_tokens.weight", SafetensorsDType.BF16, [7, 3], 1),
        Random("model.norm.weight", SafetensorsDType.F32, [3], 2),
        Random("a.f16", SafetensorsDType.F16, [5], 3),
        Random("ids", SafetensorsDType.I64, [2, 2], 4),
        Random("flags", SafetensorsDType.U8, [3], 5),
        Random("empty", SafetensorsDType.F32, [0, 4], 6),
    ];

    private static byte[] Bytes(SafetensorsTensor t)
    {
        using var ms = new MemoryStream();
        t.WriteData(ms);
        return ms.ToArray();
    }

    [Fact]
    public void SingleFileRoundTripIsBitExact()
    {
        using var dir = new TempDir();
        var tensors = Mixed();
        SafetensorsCheckpoint.Save(dir.Path, tensors);
        Assert.True(File.Exists(Path.Combine(dir.Path, "model.safetensors")));
        using var ck = SafetensorsCheckpoint.Open(dir.Path);
        Assert.Equal(tensors.Select(t => t.Name).Order(), ck.Names.Order());
        foreach (var t in tensors)
        {
            var info = ck.Info(t.Name);
            Assert.Equal(t.DType, info.DType);
            Assert.Equal(t.Shape, info.Shape);
            Assert.Equal(Bytes(t), ck.ReadBytes(t.Name));
        }
    }

    [Fact]
    public void HeaderIsPaddedToEightBytesWithPtMetadataAndAlignedOffsets()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "x.safetensors");
        SafetensorsWriter.Write(path, Mixed());
        var file = File.ReadAllBytes(path);
        var n = BinaryPrimitives.ReadInt64LittleEndian(file);
        Assert.Equal(0, n % 8);
        var header = Encoding.UTF8.GetString(file, 8, (int)n);
        Assert.True(header.TrimEnd(' ').Length + (header.Length - header.TrimEnd(' ').Length) == header.Length);
        using var doc = JsonDocument.Parse(header);
        Assert.Equal("pt", doc.RootElement.GetProperty("__metadata__").GetProperty("format").GetString());
        using var sf = SafetensorsFile.Open(path);
        foreach (var info in sf.Tensors.Values) Assert.Equal(0, (8 + n + info.Begin) % info.DType.ElementSize());
        Assert.Equal(file.Length, 8 + n + sf.Tensors.Values.Max(i => i.End));
    }

    [Fact]
    public void ShardedRoundTripWritesIndexAndIsBitExact()
    {
        using var dir = new TempDir();
        var tensors = Enumerable.Range(0, 9).Select(i => Random($"model.layers.{i}.w", SafetensorsDType.BF16, [10, 10], i)).ToList();
        SafetensorsCheckpoint.Save(dir.Path, tensors, maxShardBytes: 450);
        var index = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, SafetensorsCheckpoint.IndexFileName)));
        Assert.Equal(9 * 200, index.RootElement.GetProperty("metadata").GetProperty("total_size").GetInt64());
        var files = index.RootElement.GetProperty("weight_map").EnumerateObject().Select(p => p.Value.GetString()).Distinct().ToList();
        Assert.Equal(["model-00001-of-00005.safetensors", "model-00002-of-00005.safetensors", "model-00003-of-00005.safetensors",
            "model-00004-of-00005.safetensors", "model-00005-of-00005.safetensors"], files);
        Assert.False(File.Exists(Path.Combine(dir.Path, SafetensorsCheckpoint.SingleFileName)));
        using var ck = SafetensorsCheckpoint.Open(dir.Path);
        Assert.Equal(5, ck.Files.Count);
        foreach (var t in tensors) Assert.Equal(Bytes(t), ck.ReadBytes(t.Name));
    }

    [Fact]
    public void PartialReadsAndFloatConversionsMatch()
    {
        using var dir = new TempDir();
        float[] values = [1f, -2.5f, 3.140625f, 0f, 65504f];
        SafetensorsCheckpoint.Save(dir.Path,
        [
            SafetensorsTensor.FromFloats("f32", [5], values),
            SafetensorsTensor.FromBytes("bf16", SafetensorsDType.BF16, [5], ElementConversions.FromFloat32(values, SafetensorsDType.BF16)),
            SafetensorsTensor.FromBytes("f16", SafetensorsDType.F16, [5], ElementConversions.FromFloat32(values, SafetensorsDType.F16)),
        ]);
        using var ck = SafetensorsCheckpoint.Open(dir.Path);
        // All five are exact in f16; 65504 needs 11 significant bits, so bf16 (8 bits) rounds it to 65536.
        Assert.Equal(values, ck.ReadFloat32("f32"));
        Assert.Equal(values, ck.ReadFloat32("f16"));
        Assert.Equal([1f, -2.5f, 3.140625f, 0f, 65536f], ck.ReadFloat32("bf16"));
        var part = new byte[8];
        ck.ReadInto("f32", part, offset: 4);
        Assert.Equal(-2.5f, BitConverter.ToSingle(part, 0));
        Assert.Equal(3.140625f, BitConverter.ToSingle(part, 4));
    }

    [Fact]
    public void BFloat16RoundsToNearestEven()
    {
        // 1 + 2^-8 is exactly half-way between bf16 1.0 and 1 + 2^-7: ties go to the even mantissa (1.0).
        Assert.Equal((ushort)0x3F80, ElementConversions.ToBFloat16Bits(1f + 1f / 256));
        // 1 + 3·2^-8 is half-way between 1 + 2^-7 (odd mantissa 1) and 1 + 2^-6 (even): rounds up to 0x3F82.
        Assert.Equal((ushort)0x3F82, ElementConversions.ToBFloat16Bits(1f + 3f / 256));
    }

    [Fact]
    public void CorruptOffsetsAreRejectedWithTheTensorName()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "bad.safetensors");
        var header = Encoding.UTF8.GetBytes("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}");
        using (var fs = File.Create(path))
        {
            fs.Write(BitConverter.GetBytes((long)header.Length));
            fs.Write(header);
            fs.Write(new byte[8]);
        }
        var ex = Assert.Throws<CheckpointFormatException>(() => SafetensorsFile.Open(path));
        Assert.Contains("\"w\"", ex.Message);
    }
}
