using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MmUpt.Model;

/// <summary>transformers <c>Qwen25VLDecoderLayer</c>, pre-norm: <c>h = x + attn(norm(x))</c>; <c>out = h + mlp(norm(h))</c>.</summary>
public sealed class Qwen25VLDecoderLayer : nn.Module<Tensor, Tensor, Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "self_attn")]
    private readonly Qwen25VLAttention _selfAttn;
    [ComponentName(Name = "mlp")]
    private readonly Qwen25VLMLP _mlp;
    [ComponentName(Name = "input_layernorm")]
    private readonly Qwen2RMSNorm _inputLayernorm;
    [ComponentName(Name = "post_attention_layernorm")]
    private readonly Qwen2RMSNorm _postAttentionLayernorm;

    public Qwen25VLDecoderLayer(Qwen25VLConfigView c, ModelOptions o) : base(nameof(Qwen25VLDecoderLayer))
    {
        _selfAttn = new Qwen25VLAttention(c.Hidden, c.Heads, c.KvHeads, o);
        _mlp = new Qwen25VLMLP(c.Hidden, c.Intermediate, bias: false, o);
        _inputLayernorm = new Qwen2RMSNorm(c.Hidden, c.Eps, o);
        _postAttentionLayernorm = new Qwen2RMSNorm(c.Hidden, c.Eps, o);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, Tensor cos, Tensor sin, Tensor mask)
    {
        using var scope = NewDisposeScope();
        return Forward(x, cos, sin, mask, null, null).Hidden.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The layer for new tokens after given keys and values, differentiably; also returns the new tokens' own keys and
    /// values (see <see cref="Qwen25VLAttention.Forward(Tensor, Tensor, Tensor, Tensor, Tensor?, Tensor?)"/>).
    /// </summary>
    public (Tensor Hidden, Tensor Keys, Tensor Values) Forward(Tensor x, Tensor cos, Tensor sin, Tensor mask, Tensor? pastKeys, Tensor? pastValues)
    {
        using var scope = NewDisposeScope();
        var (attn, k, v) = _selfAttn.Forward(_inputLayernorm.forward(x), cos, sin, mask, pastKeys, pastValues);
        var h = x + attn;
        var output = h + _mlp.forward(_postAttentionLayernorm.forward(h));
        return (output.MoveToOuterDisposeScope(), k.MoveToOuterDisposeScope(), v.MoveToOuterDisposeScope());
    }

    /// <summary>The layer for new tokens against a <see cref="KvCache"/> (see <see cref="Qwen25VLAttention.Forward(Tensor, Tensor, Tensor, Tensor, KvCache, int)"/>).</summary>
    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor mask, KvCache cache, int layer)
    {
        using var scope = NewDisposeScope();
        var h = x + _selfAttn.Forward(_inputLayernorm.forward(x), cos, sin, mask, cache, layer);
        return (h + _mlp.forward(_postAttentionLayernorm.forward(h))).MoveToOuterDisposeScope();
    }
}
