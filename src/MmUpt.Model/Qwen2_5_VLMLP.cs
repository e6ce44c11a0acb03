using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MmUpt.Model;

/// <summary>SwiGLU: <c>down_proj(silu(gate_proj(x)) · up_proj(x))</c>; no biases in the decoder (Qwen2MLP), biases in the vision tower.</summary>
public sealed class Qwen2_5_VLMLP : nn.Module<Tensor, Tensor>
{
    private readonly Linear gate_proj;
    private readonly Linear up_proj;
    private readonly Linear down_proj;

    public Qwen2_5_VLMLP(long hidden, long intermediate, bool bias, ModelOptions o) : base(nameof(Qwen2_5_VLMLP))
    {
        gate_proj = nn.Linear(hidden, intermediate, hasBias: bias, device: o.Device, dtype: o.DType);
        up_proj = nn.Linear(hidden, intermediate, hasBias: bias, device: o.Device, dtype: o.DType);
        down_proj = nn.Linear(intermediate, hidden, hasBias: bias, device: o.Device, dtype: o.DType);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return down_proj.forward(nn.functional.silu(gate_proj.forward(x)) * up_proj.forward(x)).MoveToOuterDisposeScope();
    }
}
