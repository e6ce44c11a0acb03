using MmUpt.Checkpoint;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MmUpt.Model;

/// <summary>
/// transformers <c>Qwen25VLTextModel</c> (checkpoint prefix <c>model.</c>): embed_tokens, N decoder layers, final
/// RMSNorm. Takes embeddings (image features already scattered in) and 3-stream positions.
/// </summary>
public sealed class Qwen25VLTextModel : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "embed_tokens")]
    private readonly TokenEmbedding _embedTokens;
    [ComponentName(Name = "layers")]
    private readonly ModuleList<Qwen25VLDecoderLayer> _layers;
    [ComponentName(Name = "norm")]
    private readonly Qwen2RMSNorm _norm;
    private readonly Qwen25VLRotaryEmbedding _rotary;

    public Qwen25VLTextModel(Qwen25VLConfig c, ModelOptions o) : base(nameof(Qwen25VLTextModel))
    {
        _embedTokens = new TokenEmbedding(c.VocabSize, c.HiddenSize, o);
        var view = Qwen25VLConfigView.From(c);
        _layers = nn.ModuleList(Enumerable.Range(0, c.NumHiddenLayers).Select(_ => new Qwen25VLDecoderLayer(view, o)).ToArray());
        _norm = new Qwen2RMSNorm(c.HiddenSize, c.RmsNormEps, o);
        RegisterComponents();
        _rotary = new Qwen25VLRotaryEmbedding(c.HeadDim, c.RopeTheta, c.MropeSection);
    }

    /// <summary>Recompute each decoder layer in backward (<see cref="DecoderLayerCheckpoint"/>) instead of keeping its activations.</summary>
    public bool GradientCheckpointing { get; set; }

    /// <summary>[V, hidden]: read by a tied lm_head at forward time (sharing, never a copy).</summary>
    public Parameter EmbedWeight => _embedTokens.Weight;

    /// <summary>ids [B, L] → [B, L, hidden].</summary>
    public Tensor Embed(Tensor inputIds) => _embedTokens.forward(inputIds);

    /// <param name="inputsEmbeds">[B, L, hidden]</param>
    /// <param name="positionIds">[3, B, L] int64</param>
    /// <param name="attentionMask">[B, L], 1 = token, 0 = padding</param>
    /// <returns>final-normed hidden states [B, L, hidden]</returns>
    public override Tensor forward(Tensor inputsEmbeds, Tensor positionIds, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        var l = inputsEmbeds.shape[1];
        var (cos, sin) = _rotary.Forward(positionIds, inputsEmbeds.dtype);
        var mask = CausalMask(l, attentionMask);                                                                 // [B, 1, L, L]
        var h = inputsEmbeds;
        var checkpoint = GradientCheckpointing && h.requires_grad && is_grad_enabled();
        foreach (var layer in _layers) h = checkpoint ? DecoderLayerCheckpoint.Apply(layer, h, cos, sin, mask) : layer.forward(h, cos, sin, mask);
        return _norm.forward(h).MoveToOuterDisposeScope();
    }

    // [B, 1, L, L] bool: query i sees keys ≤ i that the [B, L] mask marks as tokens.
    private static Tensor CausalMask(long l, Tensor attentionMask) =>
        ones(l, l, dtype: ScalarType.Bool, device: attentionMask.device).tril().unsqueeze(0).unsqueeze(0)
        & attentionMask.to(ScalarType.Bool).unsqueeze(1).unsqueeze(2);

    /// <summary>
    /// Prompts through every layer as <see cref="forward"/> does (causal, padding masked, no checkpointing), keeping each
    /// layer's keys and values for <see cref="ForwardAfter"/>.
    /// </summary>
    /// <param name="inputsEmbeds">[U, P, hidden]</param>
    /// <param name="positionIds">[3, U, P] int64</param>
    /// <param name="attentionMask">[U, P], 1 = token, 0 = padding</param>
    /// <returns>final-normed hidden states [U, P, hidden]; per layer keys and values [U, K, P, D]</returns>
    public (Tensor Hidden, IReadOnlyList<(Tensor Keys, Tensor Values)> Kv) ForwardPrefix(Tensor inputsEmbeds, Tensor positionIds, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        var l = inputsEmbeds.shape[1];
        var (cos, sin) = _rotary.Forward(positionIds, inputsEmbeds.dtype);
        var mask = CausalMask(l, attentionMask);                                                                 // [U, 1, P, P]
        var h = inputsEmbeds;
        var kv = new (Tensor Keys, Tensor Values)[_layers.Count];
        for (var i = 0; i < _layers.Count; i++)
        {
            (h, var k, var v) = _layers[i].Forward(h, cos, sin, mask, null, null);
            kv[i] = (k.MoveToOuterDisposeScope(), v.MoveToOuterDisposeScope());
        }
        return (_norm.forward(h).MoveToOuterDisposeScope(), kv);
    }

    /// <summary>
    /// Tokens that follow prompts run by <see cref="ForwardPrefix"/>: row b continues prompt <paramref name="rowPrefix"/>[b],
    /// attending to that prompt's tokens (its keys and values gathered, differentiably: the gradient of every row flows
    /// back into the one prompt forward) and causally to its own. Equal to running each row's prompt ++ tokens whole.
    /// </summary>
    /// <param name="inputsEmbeds">[B, S, hidden]</param>
    /// <param name="positionIds">[3, B, S] int64</param>
    /// <param name="attentionMask">[B, S], 1 = token, 0 = padding (right)</param>
    /// <param name="prefixKv">per layer keys and values [U, K, P, D] from <see cref="ForwardPrefix"/></param>
    /// <param name="prefixMask">[U, P], the prompts' attention mask</param>
    /// <param name="rowPrefix">[B] int64, the prompt each row continues</param>
    /// <returns>final-normed hidden states [B, S, hidden]</returns>
    public Tensor ForwardAfter(Tensor inputsEmbeds, Tensor positionIds, Tensor attentionMask, IReadOnlyList<(Tensor Keys, Tensor Values)> prefixKv,
        Tensor prefixMask, Tensor rowPrefix)
    {
        using var scope = NewDisposeScope();
        var s = inputsEmbeds.shape[1];
        var (cos, sin) = _rotary.Forward(positionIds, inputsEmbeds.dtype);
        var prompt = prefixMask.to(ScalarType.Bool).index_select(0, rowPrefix).unsqueeze(1).expand(-1, s, -1);     // [B, S, P]
        var causal = ones(s, s, dtype: ScalarType.Bool, device: inputsEmbeds.device).tril().unsqueeze(0)
                     & attentionMask.to(ScalarType.Bool).unsqueeze(1);                                             // [B, S, S]
        var mask = cat([prompt, causal], 2).unsqueeze(1);                                                          // [B, 1, S, P + S]
        var h = inputsEmbeds;
        for (var i = 0; i < _layers.Count; i++)
        {
            var (k, v) = prefixKv[i];
            (h, _, _) = _layers[i].Forward(h, cos, sin, mask, k.index_select(0, rowPrefix), v.index_select(0, rowPrefix));
        }
        return _norm.forward(h).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// New tokens through every layer against <paramref name="cache"/>, which then holds them too. Query i (absolute
    /// position cached + i) sees keys 0..cached + i that <paramref name="attentionMask"/> marks as tokens.
    /// </summary>
    /// <param name="inputsEmbeds">[B, l, hidden]</param>
    /// <param name="positionIds">[3, B, l] int64</param>
    /// <param name="attentionMask">[B, T] over the T = cached + l positions, 1 = token, 0 = padding</param>
    /// <returns>final-normed hidden states [B, l, hidden]</returns>
    public Tensor Forward(Tensor inputsEmbeds, Tensor positionIds, Tensor attentionMask, KvCache cache)
    {
        using var scope = NewDisposeScope();
        var l = inputsEmbeds.shape[1];
        var total = cache.Length + l;
        var (cos, sin) = _rotary.Forward(positionIds, inputsEmbeds.dtype);
        var causal = ones(l, total, dtype: ScalarType.Bool, device: inputsEmbeds.device).tril(cache.Length);    // [l, T]
        var mask = causal.unsqueeze(0).unsqueeze(0) & attentionMask.to(ScalarType.Bool).unsqueeze(1).unsqueeze(2); // [B, 1, l, T]
        var h = inputsEmbeds;
        for (var i = 0; i < _layers.Count; i++) h = _layers[i].Forward(h, cos, sin, mask, cache, i);
        cache.Advance(l);
        return _norm.forward(h).MoveToOuterDisposeScope();
    }
}
