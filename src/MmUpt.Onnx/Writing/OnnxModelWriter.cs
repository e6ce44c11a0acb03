using System.Globalization;
using System.Security.Cryptography;
using Google.Protobuf;
using MmUpt.Onnx.Graph;
using MmUpt.Onnx.Proto;

namespace MmUpt.Onnx.Writing;

/// <summary>
/// Writes an <see cref="OnnxModel"/> as a .onnx file, with initializers inline or in one external data file
/// ("{file}.data": <c>location</c>/<c>offset</c>/<c>length</c>, offsets aligned to 4096 so ORT can memory-map each
/// tensor). Output depends only on the model: no timestamps, initializers in graph order, so two writes are
/// byte-identical. Tensor bytes are streamed one initializer at a time, inline ones straight into the protobuf
/// (<see cref="StreamedModelProto"/>), so writing never holds more than one tensor, whatever the model size.
/// </summary>
public static class OnnxModelWriter
{
    public const int Alignment = 4096;

    /// <summary>
    /// Constants below this size stay inline even in external mode (shape constants, scalars). Weights (overridable
    /// initializers) never do: in external mode every weight is in the data file, so a weights version is the data files alone.
    /// </summary>
    public const long InlineBelowBytes = 1024;

    /// <summary>Protobuf's 2 GB message limit, less room for the graph itself.</summary>
    public const long AutoExternalThreshold = (1L << 31) - (64L << 20);

    public const string ProducerName = "mmupt";

    /// <summary>
    /// The file streams' buffer: under the large-object threshold (85,000 bytes). A 1 MiB buffer was a fresh large-object
    /// allocation per file, and a learner publishing a version every step then ran a gen-2 collection at almost every
    /// publish (tiny preset, throwaway harness: a version took 3 ms or, with the collection, 8–16 ms; 3.1–5.8 ms with this
    /// buffer). Tensor pieces larger than the buffer go past it to the file.
    /// </summary>
    internal const int WriteBufferBytes = 1 << 16;

    public static WrittenModel Write(OnnxModel model, string path, ExternalDataMode mode = ExternalDataMode.Auto)
    {
        var external = mode switch
        {
            ExternalDataMode.Always => true,
            ExternalDataMode.Never => false,
            _ => model.InitializerBytes >= AutoExternalThreshold,
        };
        var dataFile = Path.GetFileName(path) + ".data";
        var dataPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, dataFile);
        long dataBytes = 0;
        IReadOnlyList<TensorProto?> externals;
        if (external)
        {
            using var data = new FileStream(dataPath, FileMode.Create, FileAccess.Write, FileShare.None, WriteBufferBytes);
            externals = WriteExternalData(model, data, dataFile);
            dataBytes = data.Length;
        }
        else
        {
            externals = new TensorProto?[model.Initializers.Count];
            if (File.Exists(dataPath))
            {
                File.Delete(dataPath);
            }
        }
        long size;
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, WriteBufferBytes))
        {
            StreamedModelProto.Write(file, Envelope(model), model.Graph, model.Initializers, externals);
            size = file.Length;
        }
        return new WrittenModel(path, size, external ? dataPath : null, dataBytes);
    }

    /// <summary>
    /// Only the external data file that <see cref="Write"/> in <see cref="ExternalDataMode.Always"/> mode writes next to
    /// <paramref name="onnxPath"/> (same name, bytes and offsets), without the .onnx file: a new weights version for graphs
    /// already exported. The file's SHA-256 is computed from the bytes as they are written (no second read).
    /// </summary>
    public static WrittenDataFile WriteExternalDataOnly(OnnxModel model, string onnxPath)
    {
        var dataFile = Path.GetFileName(onnxPath) + ".data";
        var dataPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(onnxPath))!, dataFile);
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long bytes;
        using (var data = new FileStream(dataPath, FileMode.Create, FileAccess.Write, FileShare.None, WriteBufferBytes))
        {
            _ = WriteExternalData(model, new HashingWriteStream(data, sha256), dataFile);
            bytes = data.Length;
        }
        return new WrittenDataFile(dataPath, bytes, Convert.ToHexStringLower(sha256.GetHashAndReset()));
    }

    /// <summary>The model's fields other than the graph (the graph is streamed into its place).</summary>
    private static ModelProto Envelope(OnnxModel model)
    {
        var proto = new ModelProto
        {
            IrVersion = OnnxModel.IrVersion,
            ProducerName = ProducerName,
            ProducerVersion = typeof(OnnxModelWriter).Assembly.GetName().Version?.ToString(3) ?? "0",
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OnnxModel.Opset });
        foreach (var (key, value) in model.Metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            proto.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }
        return proto;
    }

    /// <summary>
    /// Weights and tensors of 1 KiB or more, in graph order, into <paramref name="data"/>; per initializer its external
    /// TensorProto, or null for one that stays inline.
    /// </summary>
    private static List<TensorProto?> WriteExternalData(OnnxModel model, Stream data, string location) =>
        model.Initializers.Select(entry => entry.Weight || entry.Overridable || entry.Payload.ByteLength >= InlineBelowBytes
            ? WriteExternal(entry, data, location)
            : null).ToList();

    internal static TensorProto Header(InitializerEntry entry)
    {
        var t = new TensorProto { Name = entry.Name, DataType = (int)entry.Payload.Type };
        t.Dims.AddRange(entry.Payload.Shape);
        return t;
    }

    private static TensorProto WriteExternal(InitializerEntry entry, Stream data, string location)
    {
        var padding = (Alignment - data.Position % Alignment) % Alignment;
        data.Write(new byte[padding]);
        var offset = data.Position;
        entry.Payload.WriteTo(data);
        var length = data.Position - offset;
        CheckLength(entry, length);
        var t = Header(entry);
        t.DataLocation = TensorProto.Types.DataLocation.External;
        t.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
        t.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString(CultureInfo.InvariantCulture) });
        t.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = length.ToString(CultureInfo.InvariantCulture) });
        return t;
    }

    internal static void CheckLength(InitializerEntry entry, long written)
    {
        if (written != entry.Payload.ByteLength)
        {
            throw new InvalidDataException($"initializer '{entry.Name}' wrote {written} bytes, expected {entry.Payload.ByteLength}");
        }
    }
}
