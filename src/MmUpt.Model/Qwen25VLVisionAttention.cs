using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MmUpt.Model;

/// <summary>
/// transformers <c>Qwen25VLVisionAttention</c>: fused qkv (bias) laid out (3, H, D), 2-D rotary applied in fp32,
/// non-causal attention within segments (windows or whole images; computed per segment, see <see cref="VisionSegments"/>),
/// softmax in fp32, proj (bias).
/// Legend: P patches, H heads, D head dim.
/// </summary>
public sealed class Qwen25VLVisionAttention : nn.Module<Tensor, Tensor, Tensor, VisionSegments, Tensor>
{
    [ComponentName(Name = "qkv")]
    private readonly Linear _qkv;
    [ComponentName(Name = "proj")]
    private readonly Linear _proj;
    private readonly int _heads, _headDim;

    public Qwen25VLVisionAttention(int hidden, int heads, ModelOptions o) : base(nameof(Qwen25VLVisionAttention))
    {
        _heads = heads;
        _headDim = hidden / heads;
        _qkv = nn.Linear(hidden, 3 * hidden, hasBias: true, device: o.Device, dtype: o.DType);
        _proj = nn.Linear(hidden, hidden, hasBias: true, device: o.Device, dtype: o.DType);
        RegisterComponents();
    }

    /// <param name="x">[P, hidden]</param>
    /// <param name="cos">[P, D] fp32</param>
    /// <param name="sin">[P, D] fp32</param>
    /// <param name="segments">the segments a patch attends within</param>
    public override Tensor forward(Tensor x, Tensor cos, Tensor sin, VisionSegments segments)
    {
        using var scope = NewDisposeScope();
        var p = x.shape[0];
        long n = segments.Count, l = segments.Longest;
        var parts = _qkv.forward(x).reshape(p, 3, _heads, _headDim).permute(1, 0, 2, 3); // [3, P, H, D]
        var (c, s) = (cos.unsqueeze(-2), sin.unsqueeze(-2));                             // [P, 1, D]
        var up = Precision.AtLeastFloat32(x.dtype);
        var q = Rotary.Apply(parts[0].to(up), c.to(up), s.to(up)).to(x.dtype);           // [P, H, D]
        var k = Rotary.Apply(parts[1].to(up), c.to(up), s.to(up)).to(x.dtype);           // [P, H, D]
        Tensor Padded(Tensor t) => t.index_select(0, segments.Gather).view(n, l, _heads, _headDim).transpose(1, 2); // [S, H, Lmax, D]
        var scores = matmul(Padded(q), Padded(k).transpose(-2, -1)) * Scalars.Of(Math.Pow(_headDim, -0.5)); // [S, H, Lmax, Lmax]
        var probs = scores.to(up).masked_fill(segments.KeyMask.logical_not(), Scalars.Of(float.MinValue)).softmax(-1).to(x.dtype);
        var attn = matmul(probs, Padded(parts[2]))                                        // [S, H, Lmax, D]
            .transpose(1, 2).reshape(n * l, _heads * _headDim).index_select(0, segments.Slots); // [S·Lmax, H·D] → [P, H·D]
        return _proj.forward(attn).MoveToOuterDisposeScope();
    }
}
