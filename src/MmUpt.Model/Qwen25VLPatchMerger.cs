using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MmUpt.Model;

/// <summary>
/// transformers <c>Qwen25VLPatchMerger</c>: RMSNorm (ln_q), then every 4 consecutive patches (one 2×2 merge block)
/// concatenated, Linear, exact GELU, Linear to the decoder width (checkpoint names mlp.0 and mlp.2).
/// </summary>
public sealed class Qwen25VLPatchMerger : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "ln_q")]
    private readonly Qwen2RMSNorm _lnQ;
    [ComponentName(Name = "mlp")]
    private readonly Sequential _mlp;
    private readonly long _merged;

    public Qwen25VLPatchMerger(int outHidden, int hidden, int mergeSize, ModelOptions o) : base(nameof(Qwen25VLPatchMerger))
    {
        _merged = (long)hidden * mergeSize * mergeSize;
        _lnQ = new Qwen2RMSNorm(hidden, 1e-6, o);
        _mlp = nn.Sequential(
            ("0", nn.Linear(_merged, _merged, hasBias: true, device: o.Device, dtype: o.DType)),
            ("1", nn.GELU()), // exact erf GELU (TorchSharp's default, approximate = none)
            ("2", nn.Linear(_merged, outHidden, hasBias: true, device: o.Device, dtype: o.DType)));
        RegisterComponents();
    }

    /// <summary>[P, hidden] → [P/4, out_hidden].</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return _mlp.forward(_lnQ.forward(x).view(-1, _merged)).MoveToOuterDisposeScope(); // [P/4, 4·hidden] → [P/4, out]
    }
}
