using Google.FlatBuffers;
using MmUpt.Onnx.Proto;

namespace MmUpt.Onnx.AdapterFiles;

/// <summary>
/// The ORT <c>.onnx_adapter</c> format (onnxruntime <c>lora/adapter_format/adapter_schema.fbs</c>): a FlatBuffer with
/// file identifier "TORT", root <c>Adapter{format_version:int, adapter_version:int, model_version:int,
/// parameters:[Parameter]}</c>, <c>Parameter{name:string, dims:[int64], data_type:int32 (ONNX enum),
/// raw_data:[uint8] (force_align 8)}</c>. Any set of full weights fits, not only LoRA matrices; FlatBuffers' 32-bit
/// offsets cap one file at 2 GB. Parameters are written in ordinal name order, so the bytes depend only on the content.
/// </summary>
public static class OnnxAdapterFile
{
    public const string FileIdentifier = "TORT";

    public const int FormatVersion = 1;

    public static byte[] Build(IEnumerable<AdapterParameter> parameters, int adapterVersion = 0, int modelVersion = 0)
    {
        var ordered = parameters.OrderBy(p => p.Name, StringComparer.Ordinal).ToArray();
        var payload = ordered.Sum(p => (long)p.RawData.Length + 8L * p.Dims.Length + p.Name.Length + 64);
        if (payload > int.MaxValue - 1024)
        {
            throw new InvalidOperationException($"an adapter holds at most 2 GB; these {ordered.Length} parameters need {payload} bytes");
        }
        var fbb = new FlatBufferBuilder((int)payload + 1024);
        var offsets = new Offset<Table>[ordered.Length];
        for (var i = 0; i < ordered.Length; i++)
        {
            offsets[i] = BuildParameter(fbb, ordered[i]);
        }
        fbb.StartVector(4, offsets.Length, 4);
        for (var i = offsets.Length - 1; i >= 0; i--)
        {
            fbb.AddOffset(offsets[i].Value);
        }
        var parameterVector = fbb.EndVector();
        fbb.StartTable(4);
        fbb.AddInt(0, FormatVersion, 0);
        fbb.AddInt(1, adapterVersion, 0);
        fbb.AddInt(2, modelVersion, 0);
        fbb.AddOffset(3, parameterVector.Value, 0);
        var root = fbb.EndTable();
        fbb.Finish(root, FileIdentifier);
        return fbb.SizedByteArray();
    }

    /// <summary>Writes the adapter to a new file (never over a file a loaded model may have mapped: the caller picks a new name).</summary>
    public static long Write(string path, IEnumerable<AdapterParameter> parameters, int adapterVersion = 0, int modelVersion = 0)
    {
        var bytes = Build(parameters, adapterVersion, modelVersion);
        File.WriteAllBytes(path, bytes);
        return bytes.Length;
    }

    /// <summary>Reads an adapter back (tests and tools; ORT reads it natively).</summary>
    public static IReadOnlyList<AdapterParameter> Read(byte[] bytes, out int formatVersion)
    {
        var bb = new ByteBuffer(bytes);
        if (!Table.__has_identifier(bb, FileIdentifier))
        {
            throw new InvalidDataException("not an ORT adapter file (identifier is not TORT)");
        }
        var root = new Table(bb.GetInt(bb.Position) + bb.Position, bb);
        formatVersion = Field(root, 0) is var fv and > 0 ? bb.GetInt(root.bb_pos + fv) : 0;
        var result = new List<AdapterParameter>();
        var pv = Field(root, 3);
        if (pv == 0)
        {
            return result;
        }
        var count = root.__vector_len(pv);
        var start = root.__vector(pv);
        for (var i = 0; i < count; i++)
        {
            var p = new Table(root.__indirect(start + i * 4), bb);
            var name = p.__string(p.bb_pos + Field(p, 0));
            var dimsAt = Field(p, 1);
            var dims = new long[dimsAt == 0 ? 0 : p.__vector_len(dimsAt)];
            for (var d = 0; d < dims.Length; d++)
            {
                dims[d] = bb.GetLong(p.__vector(dimsAt) + d * 8);
            }
            var typeAt = Field(p, 2);
            var type = typeAt == 0 ? 0 : bb.GetInt(p.bb_pos + typeAt);
            var rawAt = Field(p, 3);
            var raw = rawAt == 0 ? [] : bytes.AsSpan(p.__vector(rawAt), p.__vector_len(rawAt)).ToArray();
            result.Add(new AdapterParameter(name, dims, (TensorProto.Types.DataType)type, raw));
        }
        return result;
    }

    private static Offset<Table> BuildParameter(FlatBufferBuilder fbb, AdapterParameter p)
    {
        var name = fbb.CreateString(p.Name);
        fbb.StartVector(8, p.Dims.Length, 8);
        for (var d = p.Dims.Length - 1; d >= 0; d--)
        {
            fbb.AddLong(p.Dims[d]);
        }
        var dims = fbb.EndVector();
        // force_align 8: the vector body starts on an 8-byte boundary so ORT can use it in place.
        fbb.StartVector(1, p.RawData.Length, 8);
        fbb.Put(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(p.RawData, out var seg) && seg.Offset == 0 && seg.Count == seg.Array!.Length
            ? seg.Array
            : p.RawData.ToArray());
        var raw = fbb.EndVector();
        fbb.StartTable(4);
        fbb.AddOffset(0, name.Value, 0);
        fbb.AddOffset(1, dims.Value, 0);
        fbb.AddInt(2, (int)p.DataType, 0);
        fbb.AddOffset(3, raw.Value, 0);
        return new Offset<Table>(fbb.EndTable());
    }

    /// <summary>Offset of field <paramref name="index"/> inside the table, 0 when absent (vtable slot 4 + 2·index).</summary>
    private static int Field(Table t, int index) => t.__offset(4 + 2 * index);
}
