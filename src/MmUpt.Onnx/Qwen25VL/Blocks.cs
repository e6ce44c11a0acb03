using MmUpt.Onnx.Graph;

namespace MmUpt.Onnx.Qwen25VL;

/// <summary>Building blocks shared by the vision tower and the text decoder, as plain opset-17 ops.</summary>
internal static class Blocks
{
    /// <summary>Qwen2RMSNorm: w · x / sqrt(mean(x², -1) + eps), in fp32.</summary>
    public static string RmsNorm(GraphBuilder g, string x, string weight, double eps)
    {
        var meanSquare = g.ReduceMean(g.Mul(x, x), -1);
        var normed = g.Div(x, g.Sqrt(g.Add(meanSquare, g.FloatScalar((float)eps))));
        return g.Mul(normed, weight);
    }

    /// <summary>x·W (+ b) with W stored [in, out].</summary>
    public static string Linear(GraphBuilder g, WeightBinder w, string x, string module, bool bias)
    {
        var y = g.MatMul(x, w[$"{module}.MatMul.weight"], $"{Leaf(module)}/MatMul");
        return bias ? g.Add(y, w[$"{module}.Add.bias"], $"{Leaf(module)}/Add") : y;
    }

    /// <summary>down(silu(gate(x)) · up(x)), silu = x·sigmoid(x).</summary>
    public static string SwiGlu(GraphBuilder g, WeightBinder w, string x, string module, bool bias)
    {
        var gate = Linear(g, w, x, $"{module}.gate_proj", bias);
        var up = Linear(g, w, x, $"{module}.up_proj", bias);
        var act = g.Mul(gate, g.Sigmoid(gate));
        return Linear(g, w, g.Mul(act, up), $"{module}.down_proj", bias);
    }

    /// <summary>x·cos + rotate_half(x)·sin with rotate_half(x) = cat(−x[…, d/2:], x[…, :d/2]) over the last axis of size d.</summary>
    public static string Rotary(GraphBuilder g, string x, string cos, string sin, long d)
    {
        var halves = g.Split(x, -1, d / 2, d / 2);
        var rotated = g.Concat(-1, g.Neg(halves[1]), halves[0]);
        return g.Add(g.Mul(x, cos), g.Mul(rotated, sin));
    }

    private static string Leaf(string module) => module[(module.LastIndexOf('.') + 1)..];
}
