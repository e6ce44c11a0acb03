using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MmUpt.Model;

/// <summary>SwiGLU: <c>down_proj(silu(gate_proj(x)) · up_proj(x))</c>; no biases in the decoder (Qwen2MLP), biases in the vision tower.</summary>
public sealed class Qwen25VLMLP : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "gate_proj")]
    private readonly Linear _gateProj;
    [ComponentName(Name = "up_proj")]
    private readonly Linear _upProj;
    [ComponentName(Name = "down_proj")]
    private readonly Linear _downProj;

    public Qwen25VLMLP(long hidden, long intermediate, bool bias, ModelOptions o) : base(nameof(Qwen25VLMLP))
    {
        _gateProj = nn.Linear(hidden, intermediate, hasBias: bias, device: o.Device, dtype: o.DType);
        _upProj = nn.Linear(hidden, intermediate, hasBias: bias, device: o.Device, dtype: o.DType);
        _downProj = nn.Linear(intermediate, hidden, hasBias: bias, device: o.Device, dtype: o.DType);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return _downProj.forward(nn.functional.silu(_gateProj.forward(x)) * _upProj.forward(x)).MoveToOuterDisposeScope();
    }
}
