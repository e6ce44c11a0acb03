using System.Text.Json;

namespace MmUpt.Checkpoint.Safetensors;

/// <summary>
/// Writes one <c>.safetensors</c> file the way the reference writer does: header JSON padded with spaces to a multiple
/// of 8 bytes, <c>__metadata__ {"format":"pt"}</c>, tensors ordered by descending element size (so every tensor starts
/// aligned to its element size), then name order as given. The file is written under a temporary name and renamed, so a
/// reader (or a memory map) of an older file at the same path never sees a half-written one.
/// </summary>
public static class SafetensorsWriter
{
    public static readonly IReadOnlyDictionary<string, string> PtMetadata = new Dictionary<string, string> { ["format"] = "pt" };

    public static void Write(string path, IReadOnlyList<SafetensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in tensors)
        {
            if (!names.Add(t.Name)) throw new ArgumentException($"tensor name \"{t.Name}\" appears twice");
            if (t.Name == "__metadata__") throw new ArgumentException("\"__metadata__\" is not a tensor name");
        }
        var ordered = tensors.Select((t, i) => (t, i))
            .OrderByDescending(x => x.t.DType.ElementSize()).ThenBy(x => x.i).Select(x => x.t).ToList();
        var header = BuildHeader(ordered, metadata ?? PtMetadata);

        var tmp = path + ".tmp-" + Environment.ProcessId;
        using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            fs.Write(BitConverter.GetBytes((long)header.Length));
            fs.Write(header);
            foreach (var t in ordered)
            {
                var before = fs.Position;
                t.WriteData(fs);
                if (fs.Position - before != t.ByteLength)
                    throw new InvalidOperationException($"tensor {t.Name}: wrote {fs.Position - before} bytes, expected {t.ByteLength}");
            }
        }
        File.Move(tmp, path, overwrite: true);
    }

    private static byte[] BuildHeader(IReadOnlyList<SafetensorsTensor> ordered, IReadOnlyDictionary<string, string> metadata)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteStartObject("__metadata__");
            foreach (var (k, v) in metadata) w.WriteString(k, v);
            w.WriteEndObject();
            long offset = 0;
            foreach (var t in ordered)
            {
                w.WriteStartObject(t.Name);
                w.WriteString("dtype", t.DType.ToString());
                w.WriteStartArray("shape");
                foreach (var d in t.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(offset + t.ByteLength);
                w.WriteEndArray();
                w.WriteEndObject();
                offset += t.ByteLength;
            }
            w.WriteEndObject();
        }
        var pad = (int)((8 - ms.Length % 8) % 8);
        for (var i = 0; i < pad; i++) ms.WriteByte((byte)' ');
        return ms.ToArray();
    }
}
