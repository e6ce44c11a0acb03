using MmUpt.Onnx.Graph;

namespace MmUpt.Onnx.Qwen25VL;

/// <summary>Building blocks shared by the vision tower and the text decoder, as plain opset-17 ops.</summary>
internal static class Blocks
{
    /// <summary>Qwen2RMSNorm: w · x / sqrt(mean(x², -1) + eps), in fp32.</summary>
    public static string RmsNorm(GraphBuilder g, string x, string weight, double eps)
    {
        // Pow(x, 2), not x·x: the pattern ONNX Runtime fuses into one SimplifiedLayerNormalization kernel.
        var meanSquare = g.ReduceMean(g.Op("Pow", x, g.FloatScalar(2f)), -1);
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
    /// <remarks>
    /// rotate_half is x·R with R a signed permutation ([D,D], one ±1 per column): one MatMul instead of Split, Neg and
    /// Concat. Exact: each output is one input times ±1 plus exact zeros.
    /// </remarks>
    public static string Rotary(GraphBuilder g, string x, string cos, string sin, long d)
    {
        var half = d / 2;
        var r = new float[d * d];
        for (var j = 0; j < half; j++)
        {
            r[(j + half) * d + j] = -1f;   // out[j] = −x[j + D/2]
            r[j * d + j + half] = 1f;      // out[j + D/2] = x[j]
        }
        var rotated = g.MatMul(x, g.Floats([d, d], r));
        return g.Add(g.Mul(x, cos), g.Mul(rotated, sin));
    }

    private static string Leaf(string module) => module[(module.LastIndexOf('.') + 1)..];
}
