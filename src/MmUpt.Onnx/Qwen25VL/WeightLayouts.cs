namespace MmUpt.Onnx.Qwen25VL;

/// <summary>Shape and data conversion of <see cref="WeightLayout"/>, one place for export and weight publishing.</summary>
public static class WeightLayouts
{
    public static long[] OnnxShape(WeightLayout layout, IReadOnlyList<long> hfShape) => layout switch
    {
        WeightLayout.AsIs => hfShape.ToArray(),
        WeightLayout.Column => [hfShape[0], 1],
        WeightLayout.Transposed => [hfShape[1], hfShape[0]],
        WeightLayout.FlattenTransposed => [hfShape.Skip(1).Aggregate(1L, (a, b) => a * b), hfShape[0]],
        _ => throw new ArgumentOutOfRangeException(nameof(layout)),
    };

    /// <summary>HF data (row-major in <paramref name="hfShape"/>) → ONNX data (row-major in <see cref="OnnxShape"/>).</summary>
    public static float[] ToOnnx(WeightLayout layout, float[] data, IReadOnlyList<long> hfShape)
    {
        if (!Transposes(layout))
        {
            return data;
        }
        var rows = (int)hfShape[0];
        var result = new float[data.LongLength];
        TransposeRows(data, rows, 0, (int)(data.LongLength / rows), result);
        return result;
    }

    /// <summary>Whether <paramref name="layout"/> reorders the data (otherwise only the shape may differ).</summary>
    public static bool Transposes(WeightLayout layout) => layout is WeightLayout.Transposed or WeightLayout.FlattenTransposed;

    /// <summary>
    /// Rows [<paramref name="firstRow"/>, + <paramref name="count"/>) of the transpose of <paramref name="source"/>
    /// into <paramref name="destination"/>: [out, in] → [in, out] (the patch embedding is [out, C·T·P·P] once its
    /// trailing dims are flattened), so output row c is source column c. Blocked over source rows to reuse cache lines.
    /// </summary>
    public static void TransposeRows(ReadOnlySpan<float> source, int rows, int firstRow, int count, Span<float> destination)
    {
        var cols = source.Length / rows;   // source [rows, cols], destination [count, rows]
        const int Block = 64;
        for (var r0 = 0; r0 < rows; r0 += Block)
        {
            var rEnd = Math.Min(rows, r0 + Block);
            for (var c = firstRow; c < firstRow + count; c++)
            {
                var target = destination.Slice((c - firstRow) * rows, rows);
                for (var r = r0; r < rEnd; r++)
                {
                    target[r] = source[r * cols + c];
                }
            }
        }
    }
}
