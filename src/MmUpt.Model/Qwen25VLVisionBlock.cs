using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MmUpt.Model;

/// <summary>transformers <c>Qwen25VLVisionBlock</c>: <c>x + attn(norm1(x))</c>, then <c>+ mlp(norm2(x))</c>; RMSNorm eps 1e-6, MLP with biases.</summary>
public sealed class Qwen25VLVisionBlock : nn.Module<Tensor, Tensor, Tensor, VisionSegments, Tensor>
{
    [ComponentName(Name = "norm1")]
    private readonly Qwen2RMSNorm _norm1;
    [ComponentName(Name = "norm2")]
    private readonly Qwen2RMSNorm _norm2;
    [ComponentName(Name = "attn")]
    private readonly Qwen25VLVisionAttention _attn;
    [ComponentName(Name = "mlp")]
    private readonly Qwen25VLMLP _mlp;

    public Qwen25VLVisionBlock(int hidden, int heads, int intermediate, ModelOptions o) : base(nameof(Qwen25VLVisionBlock))
    {
        _norm1 = new Qwen2RMSNorm(hidden, 1e-6, o);
        _norm2 = new Qwen2RMSNorm(hidden, 1e-6, o);
        _attn = new Qwen25VLVisionAttention(hidden, heads, o);
        _mlp = new Qwen25VLMLP(hidden, intermediate, bias: true, o);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, Tensor cos, Tensor sin, VisionSegments segments)
    {
        using var scope = NewDisposeScope();
        var h = x + _attn.forward(_norm1.forward(x), cos, sin, segments);
        return (h + _mlp.forward(_norm2.forward(h))).MoveToOuterDisposeScope();
    }
}
