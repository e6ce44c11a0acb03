using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MmUpt.Model;

/// <summary>
/// transformers <c>Qwen25VLAttention</c> (eager path): q/k/v with bias, o_proj without; mRoPE on q and k; GQA by
/// repeating each kv head contiguously (repeat_kv); scores · D^-½, masked, softmax in fp32, cast back.
/// Legend: B batch, L tokens, H heads, K kv heads, D head dim.
/// </summary>
public sealed class Qwen25VLAttention : nn.Module<Tensor, Tensor, Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "q_proj")]
    private readonly Linear _qProj;
    [ComponentName(Name = "k_proj")]
    private readonly Linear _kProj;
    [ComponentName(Name = "v_proj")]
    private readonly Linear _vProj;
    [ComponentName(Name = "o_proj")]
    private readonly Linear _oProj;
    private readonly int _heads, _kvHeads, _headDim;

    public Qwen25VLAttention(int hidden, int heads, int kvHeads, ModelOptions o) : base(nameof(Qwen25VLAttention))
    {
        _heads = heads;
        _kvHeads = kvHeads;
        _headDim = hidden / heads;
        _qProj = nn.Linear(hidden, heads * _headDim, hasBias: true, device: o.Device, dtype: o.DType);
        _kProj = nn.Linear(hidden, kvHeads * _headDim, hasBias: true, device: o.Device, dtype: o.DType);
        _vProj = nn.Linear(hidden, kvHeads * _headDim, hasBias: true, device: o.Device, dtype: o.DType);
        _oProj = nn.Linear(heads * _headDim, hidden, hasBias: false, device: o.Device, dtype: o.DType);
        RegisterComponents();
    }

    /// <param name="x">[B, L, hidden]</param>
    /// <param name="cos">[B, L, D]</param>
    /// <param name="sin">[B, L, D]</param>
    /// <param name="mask">[B, 1, L, L] bool, true = attend</param>
    public override Tensor forward(Tensor x, Tensor cos, Tensor sin, Tensor mask)
    {
        using var scope = NewDisposeScope();
        return Forward(x, cos, sin, mask, null, null).Output.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The same attention for <c>l</c> new tokens against everything <paramref name="cache"/> holds: their keys and values
    /// are appended to layer <paramref name="layer"/>'s slab and the queries attend over the filled part.
    /// </summary>
    /// <param name="x">[B, l, hidden]</param>
    /// <param name="cos">[B, l, D]</param>
    /// <param name="mask">[B, 1, l, T] bool over the T = cached + l positions, true = attend</param>
    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor mask, KvCache cache, int layer)
    {
        using var scope = NewDisposeScope();
        var (q, k, v) = Project(x, cos, sin);
        var (keys, values) = cache.Append(layer, k, v);                             // [B, K, T, D]
        return Attend(q, keys, values, mask).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The same attention for <c>l</c> new tokens after <paramref name="pastKeys"/>/<paramref name="pastValues"/>
    /// [B, K, p, D] (keys after RoPE, kv heads not repeated; none = nothing before), as a differentiable function of
    /// them: a group's shared prompt is run once and its keys and values gathered for each response. Returns the
    /// output and the new tokens' own keys and values [B, K, l, D].
    /// </summary>
    /// <param name="mask">[B, 1, l, p + l] bool, true = attend</param>
    public (Tensor Output, Tensor Keys, Tensor Values) Forward(Tensor x, Tensor cos, Tensor sin, Tensor mask, Tensor? pastKeys, Tensor? pastValues)
    {
        using var scope = NewDisposeScope();
        var (q, k, v) = Project(x, cos, sin);
        var keys = pastKeys is null ? k : cat([pastKeys, k], 2);                   // [B, K, p + l, D]
        var values = pastValues is null ? v : cat([pastValues, v], 2);
        var output = Attend(q, keys, values, mask);
        return (output.MoveToOuterDisposeScope(), k.MoveToOuterDisposeScope(), v.MoveToOuterDisposeScope());
    }

    // q [B, H, l, D] and k, v [B, K, l, D] of x [B, l, hidden], RoPE applied to q and k.
    private (Tensor Q, Tensor K, Tensor V) Project(Tensor x, Tensor cos, Tensor sin)
    {
        long b = x.shape[0], l = x.shape[1];
        var q = _qProj.forward(x).view(b, l, _heads, _headDim).transpose(1, 2);   // [B, H, l, D]
        var k = _kProj.forward(x).view(b, l, _kvHeads, _headDim).transpose(1, 2); // [B, K, l, D]
        var v = _vProj.forward(x).view(b, l, _kvHeads, _headDim).transpose(1, 2); // [B, K, l, D]
        return (Rotary.Apply(q, cos.unsqueeze(1), sin.unsqueeze(1)), Rotary.Apply(k, cos.unsqueeze(1), sin.unsqueeze(1)), v);
    }

    // Scores · D^-½, masked, softmax in fp32, times values, o_proj: q [B, H, l, D], keys/values [B, K, T, D], mask [B, 1, l, T].
    private Tensor Attend(Tensor q, Tensor keys, Tensor values, Tensor mask)
    {
        long b = q.shape[0], l = q.shape[2];
        keys = RepeatKv(keys);                                                     // [B, H, T, D]
        values = RepeatKv(values);
        var scores = matmul(q, keys.transpose(-2, -1)) * Scalars.Of(Math.Pow(_headDim, -0.5)); // [B, H, l, T]
        var probs = scores.to(Precision.AtLeastFloat32(q.dtype)).masked_fill(mask.logical_not(), Scalars.Of(float.MinValue))
            .softmax(-1).to(q.dtype);
        var attn = matmul(probs, values).transpose(1, 2).reshape(b, l, _heads * _headDim); // [B, l, H·D]
        return _oProj.forward(attn);
    }

    /// <summary>[B, K, L, D] → [B, H, L, D], each kv head repeated H/K times in a row.</summary>
    private Tensor RepeatKv(Tensor x)
    {
        var rep = _heads / _kvHeads;
        if (rep == 1) return x;
        long b = x.shape[0], l = x.shape[2];
        return x.unsqueeze(2).expand(b, _kvHeads, rep, l, _headDim).reshape(b, _heads, l, _headDim); // [B, K, rep, L, D] → [B, H, L, D]
    }
}
