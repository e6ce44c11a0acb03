using TorchSharp;
using static TorchSharp.torch;

namespace MmUpt.Model;

/// <summary>transformers <c>Qwen2_5_VLVisionBlock</c>: <c>x + attn(norm1(x))</c>, then <c>+ mlp(norm2(x))</c>; RMSNorm eps 1e-6, MLP with biases.</summary>
public sealed class Qwen2_5_VLVisionBlock : nn.Module<Tensor, Tensor, Tensor, Tensor, Tensor>
{
    private readonly Qwen2RMSNorm norm1;
    private readonly Qwen2RMSNorm norm2;
    private readonly Qwen2_5_VLVisionAttention attn;
    private readonly Qwen2_5_VLMLP mlp;

    public Qwen2_5_VLVisionBlock(int hidden, int heads, int intermediate, ModelOptions o) : base(nameof(Qwen2_5_VLVisionBlock))
    {
        norm1 = new Qwen2RMSNorm(hidden, 1e-6, o);
        norm2 = new Qwen2RMSNorm(hidden, 1e-6, o);
        attn = new Qwen2_5_VLVisionAttention(hidden, heads, o);
        mlp = new Qwen2_5_VLMLP(hidden, intermediate, bias: true, o);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, Tensor cos, Tensor sin, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var h = x + attn.forward(norm1.forward(x), cos, sin, mask);
        return (h + mlp.forward(norm2.forward(h))).MoveToOuterDisposeScope();
    }
}
