using MmUpt.Checkpoint;
using MmUpt.Processing.Layout;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MmUpt.Model;

/// <summary>
/// transformers <c>Qwen25VLForConditionalGeneration</c>: <c>model</c> (decoder), <c>visual</c> (vision tower) and
/// <c>lm_head</c>. Parameter names are the flat checkpoint names (<c>model.layers.0.self_attn.q_proj.weight</c>,
/// <c>visual.blocks.0.attn.qkv.weight</c>, <c>lm_head.weight</c>). With tied embeddings there is no lm_head parameter:
/// the head multiplies by <c>model.embed_tokens.weight</c> at forward time, so training updates one tensor.
/// Build outside any DisposeScope. Legend: B batch, L tokens, V vocab, N image tokens.
/// </summary>
public sealed class Qwen25VLForConditionalGeneration : nn.Module<Qwen25VLInputs, Tensor>
{
    [ComponentName(Name = "model")]
    private readonly Qwen25VLTextModel _model;
    [ComponentName(Name = "visual")]
    private readonly Qwen25VLVisionTransformerPretrainedModel _visual;
    [ComponentName(Name = "lm_head")]
    private readonly Linear? _lmHead;

    public Qwen25VLConfig Config { get; }
    public ModelOptions Options { get; }

    public Qwen25VLForConditionalGeneration(Qwen25VLConfig config, ModelOptions options) : base(nameof(Qwen25VLForConditionalGeneration))
    {
        config.Validate();
        Config = config;
        Options = options;
        _model = new Qwen25VLTextModel(config, options);
        _visual = new Qwen25VLVisionTransformerPretrainedModel(config.VisionConfig, options);
        if (!config.TieWordEmbeddings)
            _lmHead = nn.Linear(config.HiddenSize, config.VocabSize, hasBias: false, device: options.Device, dtype: options.DType);
        RegisterComponents();
    }

    /// <summary>[V, hidden]: lm_head.weight, or embed_tokens.weight when tied.</summary>
    public Tensor LmHeadWeight => _lmHead?.weight ?? _model.EmbedWeight;

    public Qwen25VLVisionTransformerPretrainedModel Visual => _visual;

    /// <summary>Gradient checkpointing of the decoder layers (see <see cref="Qwen25VLTextModel.GradientCheckpointing"/>).</summary>
    public bool GradientCheckpointing
    {
        get => _model.GradientCheckpointing;
        set => _model.GradientCheckpointing = value;
    }

    /// <summary>Logits [B, L, V] in the compute dtype.</summary>
    public override Tensor forward(Qwen25VLInputs inputs)
    {
        using var scope = NewDisposeScope();
        return nn.functional.linear(Hidden(inputs), LmHeadWeight).MoveToOuterDisposeScope();
    }

    /// <summary>Final-normed hidden states [B, L, hidden] (the lm_head input).</summary>
    public Tensor Hidden(Qwen25VLInputs inputs)
    {
        using var scope = NewDisposeScope();
        var ids = inputs.InputIds;
        var mask = inputs.AttentionMask ?? ones_like(ids);
        var positions = inputs.PositionIds ?? PositionIds(ids, mask, inputs.ImageGrids ?? []);
        return _model.forward(Embeds(inputs), positions, mask).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Sampling with a <see cref="KvCache"/>: the prompt (<paramref name="inputs"/>, on an empty cache) or the next
    /// tokens (ids [B, l] with positions [3, B, l] and a mask [B, cached + l]) through the decoder, appended to the cache;
    /// returns the logits of the last position [B, V].
    /// </summary>
    public Tensor CachedLogits(Qwen25VLInputs inputs, KvCache cache)
    {
        using var scope = NewDisposeScope();
        var ids = inputs.InputIds;
        var mask = inputs.AttentionMask ?? ones(ids.shape[0], cache.Length + ids.shape[1], dtype: ScalarType.Int64, device: ids.device);
        var positions = inputs.PositionIds ?? PositionIds(ids, mask, inputs.ImageGrids ?? []);
        var hidden = _model.Forward(Embeds(inputs), positions, mask, cache);               // [B, l, hidden]
        return nn.functional.linear(hidden[.., -1], LmHeadWeight).MoveToOuterDisposeScope(); // [B, V]
    }

    // Token embeddings [B, L, hidden] with the vision tower's features scattered over the image placeholders.
    private Tensor Embeds(Qwen25VLInputs inputs)
    {
        using var scope = NewDisposeScope();
        var ids = inputs.InputIds;
        var embeds = _model.Embed(ids);                                                     // [B, L, hidden]
        if (inputs.PixelValues is { } pixels)
        {
            var grids = inputs.ImageGrids ?? throw new ArgumentException("PixelValues given without ImageGrids");
            var features = _visual.forward(pixels, new VisionLayout(grids, Config.VisionConfig)).to(embeds.dtype); // [N, hidden]
            var isImage = ids.eq(Scalars.Of(Config.ImageTokenId));                                     // [B, L]
            var count = isImage.sum().item<long>();
            if (count != features.shape[0])
                throw new ArgumentException($"Image features and image tokens do not match: tokens: {count}, features {features.shape[0]}");
            embeds = embeds.masked_scatter(isImage.unsqueeze(-1).expand_as(embeds), features);
        }
        return embeds.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// log p(ids[:, t+1] | ids[:, ≤t]) for t = 0..L−2, i.e. [B, L−1] fp32, from logits / <paramref name="temperature"/>.
    /// The head is applied in chunks of positions, so at most [B, chunk, V] logits exist at once (never [B, L, V]).
    /// </summary>
    public Tensor NextTokenLogProbs(Qwen25VLInputs inputs, double temperature = 1.0, int chunkTokens = 256)
    {
        using var scope = NewDisposeScope();
        var hidden = Hidden(inputs);
        var targets = inputs.InputIds[.., 1..];                                              // [B, L−1]
        var result = TokenLogProbs.FromHidden(hidden[.., ..^1], LmHeadWeight, targets, temperature, chunkTokens);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>[3, B, L] int64 on the ids' device, from <see cref="RopeIndex"/> on CPU copies.</summary>
    public Tensor PositionIds(Tensor inputIds, Tensor attentionMask, IReadOnlyList<GridThw> grids)
    {
        var r = RopeIndex.Compute(ToArray(inputIds), ToArray(attentionMask), grids, Config);
        return tensor(r.Positions.Cast<long>().ToArray(), [3, inputIds.shape[0], inputIds.shape[1]], device: inputIds.device);
    }

    private static long[,] ToArray(Tensor t)
    {
        // A scope, not `using`: .to()/.cpu() may hand back the caller's own tensor, which must stay alive.
        using var scope = NewDisposeScope();
        var flat = t.to(ScalarType.Int64).cpu().contiguous().data<long>().ToArray();
        long b = t.shape[0], l = t.shape[1];
        var a = new long[b, l];
        Buffer.BlockCopy(flat, 0, a, 0, flat.Length * sizeof(long));
        return a;
    }
}
