namespace MmUpt.Onnx.Qwen25VL;

/// <summary>Shape and data conversion of <see cref="WeightLayout"/>, one place for export and weight publishing.</summary>
public static class WeightLayouts
{
    public static long[] OnnxShape(WeightLayout layout, IReadOnlyList<long> hfShape) => layout switch
    {
        WeightLayout.AsIs => hfShape.ToArray(),
        WeightLayout.Transposed => [hfShape[1], hfShape[0]],
        WeightLayout.FlattenTransposed => [hfShape.Skip(1).Aggregate(1L, (a, b) => a * b), hfShape[0]],
        _ => throw new ArgumentOutOfRangeException(nameof(layout)),
    };

    /// <summary>HF data (row-major in <paramref name="hfShape"/>) → ONNX data (row-major in <see cref="OnnxShape"/>).</summary>
    public static float[] ToOnnx(WeightLayout layout, float[] data, IReadOnlyList<long> hfShape)
    {
        if (layout == WeightLayout.AsIs)
        {
            return data;
        }
        // [out, in] → [in, out]; the patch embedding is [out, C·T·P·P] once its trailing dims are flattened.
        var rows = (int)hfShape[0];
        var cols = (int)(data.LongLength / rows);
        var result = new float[data.LongLength];
        const int Block = 32;
        for (var r0 = 0; r0 < rows; r0 += Block)
        {
            for (var c0 = 0; c0 < cols; c0 += Block)
            {
                var rEnd = Math.Min(rows, r0 + Block);
                var cEnd = Math.Min(cols, c0 + Block);
                for (var r = r0; r < rEnd; r++)
                {
                    for (var c = c0; c < cEnd; c++)
                    {
                        result[(long)c * rows + r] = data[(long)r * cols + c];
                    }
                }
            }
        }
        return result;
    }
}
