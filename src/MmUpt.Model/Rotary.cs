using static TorchSharp.torch;

namespace MmUpt.Model;

/// <summary>The rotate-half RoPE of transformers: <c>x·cos + rotate_half(x)·sin</c>, <c>rotate_half(x) = cat(−x₂, x₁)</c>.</summary>
public static class Rotary
{
    /// <summary>x [..., D]; cos/sin broadcastable to x.</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        var half = x.shape[^1] / 2;
        var rotated = cat([-x.narrow(-1, half, half), x.narrow(-1, 0, half)], -1);
        return (x * cos + rotated * sin).MoveToOuterDisposeScope();
    }
}
