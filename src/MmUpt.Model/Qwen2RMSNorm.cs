using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MmUpt.Model;

/// <summary>
/// transformers <c>Qwen2RMSNorm</c>: <c>weight · (x₃₂ · rsqrt(mean(x₃₂²) + eps)).to(dtype)</c>, the normalisation in fp32
/// whatever the compute dtype, the weight applied after casting back.
/// </summary>
public sealed class Qwen2RMSNorm : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "weight")]
    private readonly Parameter _weight;
    private readonly double _eps;

    public Qwen2RMSNorm(long dim, double eps, ModelOptions o) : base(nameof(Qwen2RMSNorm))
    {
        _eps = eps;
        _weight = new Parameter(ones(dim, dtype: o.DType, device: o.Device));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var x32 = x.to(Precision.AtLeastFloat32(x.dtype));
        var normed = x32 * (x32.pow(Scalars.Of(2)).mean([-1], keepdim: true) + _eps).rsqrt();
        return (_weight * normed.to(x.dtype)).MoveToOuterDisposeScope();
    }
}
