using System.Buffers;
using System.Runtime.InteropServices;
using MmUpt.Onnx.Graph;
using MmUpt.Onnx.Proto;

namespace MmUpt.Onnx.Qwen25VL;

/// <summary>
/// One checkpoint tensor as an ONNX initializer, streamed when the file is written: a tensor whose layout keeps its
/// order (<see cref="WeightLayouts.Transposes"/>) goes through in pieces of <see cref="Piece"/> elements (read, convert, encode, write), a transposed one is
/// read once into native memory (one fp32 copy, freed as soon as it is written) and written in row blocks of its
/// transpose. So exporting holds at most one tensor at a time, whatever the model size.
/// </summary>
internal sealed class WeightPayload(WeightMapping mapping, IWeightSource source, string sourceName, TensorProto.Types.DataType storedAs)
    : TensorPayload(mapping.OnnxShape, storedAs)
{
    /// <summary>Elements per piece: 1 MiB of fp32.</summary>
    public const int Piece = 1 << 18;

    public override void WriteTo(Stream stream)
    {
        if (!WeightLayouts.Transposes(mapping.Layout))
        {
            WriteAsIs(stream);
        }
        else
        {
            WriteTransposed(stream);
        }
    }

    private void WriteAsIs(Stream stream)
    {
        var piece = ArrayPool<float>.Shared.Rent(Piece);
        try
        {
            for (long done = 0; done < ElementCount; done += Piece)
            {
                var part = piece.AsSpan(0, (int)Math.Min(Piece, ElementCount - done));
                source.ReadFloat32(sourceName, done, part);
                TensorEncoding.WriteFloats(stream, part, Type);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(piece);
        }
    }

    private unsafe void WriteTransposed(Stream stream)
    {
        if (ElementCount > int.MaxValue)
        {
            throw new CheckpointRejectedException($"tensor '{sourceName}' has {ElementCount} elements; the export transposes at most {int.MaxValue}");
        }
        var rows = (int)mapping.ParameterShape[0];              // source [rows, cols], ONNX [cols, rows]
        var cols = (int)(ElementCount / rows);
        var blockRows = Math.Min(cols, Math.Max(16, Piece / rows));
        // Native memory, freed right after: a managed array of this size would wait for a gen-2 collection.
        var all = NativeMemory.Alloc((nuint)ElementCount, sizeof(float));
        var block = ArrayPool<float>.Shared.Rent(blockRows * rows);
        try
        {
            var sourceData = new Span<float>(all, (int)ElementCount);
            source.ReadFloat32(sourceName, 0, sourceData);
            for (var c = 0; c < cols; c += blockRows)
            {
                var count = Math.Min(blockRows, cols - c);
                var part = block.AsSpan(0, count * rows);     // ONNX rows [c, c + count)
                WeightLayouts.TransposeRows(sourceData, rows, c, count, part);
                TensorEncoding.WriteFloats(stream, part, Type);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(block);
            NativeMemory.Free(all);
        }
    }
}
