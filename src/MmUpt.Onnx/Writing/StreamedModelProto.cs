using Google.Protobuf;
using MmUpt.Onnx.Graph;
using MmUpt.Onnx.Proto;

namespace MmUpt.Onnx.Writing;

/// <summary>
/// Serialises a ModelProto whose initializers' raw_data is streamed from their payloads, giving exactly the bytes
/// Google.Protobuf would give for the whole message held in memory. Protobuf writes fields in field-number order and a
/// repeated message field as its elements one after another, so the message is: the envelope's fields before
/// <c>graph</c> (7) | tag 7, length, graph | the envelope's fields after it; and the graph is: its fields before
/// <c>initializer</c> (5) | one (tag 5, length, tensor) per initializer | its fields after. An inline tensor is its
/// header (dims 1, data_type 2, name 8) followed by <c>raw_data</c> (9), its last field, so the data goes last and
/// straight from the payload to the file; every length is known beforehand from the shapes.
/// </summary>
internal static class StreamedModelProto
{
    private const int GraphField = 7;       // ModelProto.graph
    private const int InitializerField = 5; // GraphProto.initializer
    private const int RawDataField = 9;     // TensorProto.raw_data

    /// <param name="externals">Per initializer its external-data TensorProto, or null to write it inline.</param>
    public static void Write(Stream output, ModelProto envelope, GraphProto graph, IReadOnlyList<InitializerEntry> initializers,
        IReadOnlyList<TensorProto?> externals)
    {
        if (envelope.Graph is not null || graph.Initializer.Count > 0)
        {
            throw new ArgumentException("the envelope carries no graph and the graph no initializers: both are streamed here");
        }
        var (modelHead, modelTail) = Split(envelope.ToByteArray(), GraphField);
        var (graphHead, graphTail) = Split(graph.ToByteArray(), InitializerField);
        var tensors = initializers.Select((entry, i) =>
        {
            var header = externals[i] ?? OnnxModelWriter.Header(entry);
            var inline = externals[i] is null && entry.Payload.ByteLength > 0;   // proto3 writes no empty bytes field
            var length = header.CalculateSize() + (inline ? FieldOverhead(RawDataField, entry.Payload.ByteLength) + entry.Payload.ByteLength : 0);
            return (Entry: entry, Header: header.ToByteArray(), Inline: inline, Length: length);
        }).ToList();
        var graphLength = graphHead.Length + graphTail.Length + tensors.Sum(t => FieldOverhead(InitializerField, t.Length) + t.Length);
        if (graphLength > int.MaxValue)
        {
            throw new CheckpointRejectedException(
                $"graph '{graph.Name}' with its initializers inline is {graphLength} bytes, past protobuf's 2 GB limit: " +
                "write its weights as external data (--external-data auto or always)");
        }

        output.Write(modelHead);
        WriteFieldStart(output, GraphField, graphLength);
        output.Write(graphHead);
        foreach (var t in tensors)
        {
            WriteFieldStart(output, InitializerField, t.Length);
            output.Write(t.Header);
            if (t.Inline)
            {
                WriteFieldStart(output, RawDataField, t.Entry.Payload.ByteLength);
                var start = output.Position;
                t.Entry.Payload.WriteTo(output);
                OnnxModelWriter.CheckLength(t.Entry, output.Position - start);
            }
        }
        output.Write(graphTail);
        output.Write(modelTail);
    }

    /// <summary>The serialised fields numbered below <paramref name="field"/>, and those above it.</summary>
    private static (byte[] Head, byte[] Tail) Split(byte[] message, int field)
    {
        var input = new CodedInputStream(message);
        while (!input.IsAtEnd)
        {
            var start = (int)input.Position;
            if (WireFormat.GetTagFieldNumber(input.ReadTag()) > field)
            {
                return (message[..start], message[start..]);
            }
            input.SkipLastField();
        }
        return (message, []);
    }

    /// <summary>Bytes of a length-delimited field's tag and length.</summary>
    private static long FieldOverhead(int field, long length) =>
        CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeRawVarint64Size((ulong)length);

    private static void WriteFieldStart(Stream output, int field, long length)
    {
        Span<byte> bytes = stackalloc byte[20];
        var n = Varint(bytes, WireFormat.MakeTag(field, WireFormat.WireType.LengthDelimited));
        n += Varint(bytes[n..], (ulong)length);
        output.Write(bytes[..n]);
    }

    private static int Varint(Span<byte> bytes, ulong value)
    {
        var n = 0;
        while (value >= 0x80)
        {
            bytes[n++] = (byte)(value | 0x80);
            value >>= 7;
        }
        bytes[n++] = (byte)value;
        return n;
    }
}
