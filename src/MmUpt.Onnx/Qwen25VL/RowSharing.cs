using MmUpt.Onnx.Graph;
using MmUpt.Onnx.Proto;

namespace MmUpt.Onnx.Qwen25VL;

/// <summary>
/// Rows of a prefill that repeat the row before them. ORT GenAI 0.18 cannot fork a generator, so a group of G samples
/// is its prompt G times; the decoder finds, in-graph and exactly (same embeddings, attention mask and position ids,
/// element by element: nothing is assumed from the caller), each row equal to the one before it, and runs the per-token
/// work once per run of equal rows. Built for the prefill only (no past): afterwards every row has its own tokens and
/// cache. <see cref="Distinct"/> [U]: the first row of each run; <see cref="Source"/> [B]: each row's run, an index
/// into the distinct rows. Without repeats both are 0 … B − 1.
/// </summary>
internal sealed record RowSharing(string Distinct, string Source)
{
    public static RowSharing Build(GraphBuilder g, string embeds, string mask, string positions)
    {
        const TensorProto.Types.DataType F32 = TensorProto.Types.DataType.Float;
        const TensorProto.Types.DataType I64 = TensorProto.Types.DataType.Int64;
        var zero = g.Int64Scalar(0);
        var one = g.Int64Scalar(1);
        var all = g.Range(zero, g.Dim(embeds, 0), one);                                            // [B]
        var previous = g.Op("Max", g.Sub(all, one), zero);                                          // [B]
        string Differs(string x, long axis, params long[] axes) =>                                  // [B] 0/1
            g.Node("ReduceMax", [g.Cast(g.Op("Not", g.Equal(x, g.Gather(x, previous, axis))), F32)], 1, null,
                Attr.Ints("axes", axes), Attr.Int("keepdims", 0))[0];
        var differs = g.Op("Max", g.Op("Max", Differs(embeds, 0, 1, 2), Differs(g.Cast(mask, F32), 0, 1)),
            Differs(g.Cast(positions, F32), 1, 0, 2));
        var repeats = g.And(g.Op("Greater", all, zero), g.Equal(differs, g.FloatScalar(0f)));      // [B]
        var distinct = g.Op("Not", repeats);
        return new RowSharing(g.Squeeze(g.Op("NonZero", distinct), 0), g.Sub(g.CumSum(g.Cast(distinct, I64), 0), one));
    }
}
