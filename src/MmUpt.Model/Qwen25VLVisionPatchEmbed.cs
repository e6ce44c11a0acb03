using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MmUpt.Model;

/// <summary>
/// transformers <c>Qwen25VLVisionPatchEmbed</c>: a Conv3d with kernel = stride = (T, P, P) over one patch is a linear map
/// of the flattened patch; the weight keeps the checkpoint shape [C_out, 3, T, P, P] and is viewed as [C_out, 3·T·P·P].
/// </summary>
public sealed class Qwen25VLVisionPatchEmbed : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "proj")]
    private readonly Conv3d _proj;
    private readonly long _hidden;

    public Qwen25VLVisionPatchEmbed(int inChannels, int temporal, int patch, int hidden, ModelOptions o) : base(nameof(Qwen25VLVisionPatchEmbed))
    {
        _hidden = hidden;
        _proj = nn.Conv3d(inChannels, hidden, (temporal, patch, patch), stride: (temporal, patch, patch), bias: false,
            device: o.Device, dtype: o.DType);
        RegisterComponents();
    }

    /// <summary>[P, 3·T·P·P] → [P, hidden].</summary>
    public override Tensor forward(Tensor pixelValues)
    {
        using var scope = NewDisposeScope();
        var w = _proj.weight!;
        // The Conv3d weight [hidden, 3, T, P, P] viewed as [hidden, 3·T·P·P]: a stride = kernel conv is this linear.
        return nn.functional.linear(pixelValues.to(w.dtype), w.view(_hidden, -1)).MoveToOuterDisposeScope();
    }
}
