using TorchSharp;
using static TorchSharp.torch;

namespace MmUpt.Model;

/// <summary>transformers <c>Qwen2_5_VLDecoderLayer</c>, pre-norm: <c>h = x + attn(norm(x))</c>; <c>out = h + mlp(norm(h))</c>.</summary>
public sealed class Qwen2_5_VLDecoderLayer : nn.Module<Tensor, Tensor, Tensor, Tensor, Tensor>
{
    private readonly Qwen2_5_VLAttention self_attn;
    private readonly Qwen2_5_VLMLP mlp;
    private readonly Qwen2RMSNorm input_layernorm;
    private readonly Qwen2RMSNorm post_attention_layernorm;

    public Qwen2_5_VLDecoderLayer(Qwen25VLConfigView c, ModelOptions o) : base(nameof(Qwen2_5_VLDecoderLayer))
    {
        self_attn = new Qwen2_5_VLAttention(c.Hidden, c.Heads, c.KvHeads, o);
        mlp = new Qwen2_5_VLMLP(c.Hidden, c.Intermediate, bias: false, o);
        input_layernorm = new Qwen2RMSNorm(c.Hidden, c.Eps, o);
        post_attention_layernorm = new Qwen2RMSNorm(c.Hidden, c.Eps, o);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, Tensor cos, Tensor sin, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var h = x + self_attn.forward(input_layernorm.forward(x), cos, sin, mask);
        return (h + mlp.forward(post_attention_layernorm.forward(h))).MoveToOuterDisposeScope();
    }
}
