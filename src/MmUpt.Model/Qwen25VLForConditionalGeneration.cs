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

    /// <summary>
    /// Final-normed hidden states of continuations that share prompts, each prompt and its images run once (GRPO's G
    /// responses to one prompt: the shared-prefix forward). <paramref name="prompts"/> [U, P] go through the model as in
    /// <see cref="Hidden"/>; row b of <paramref name="continuationIds"/> [B, S] then follows prompt
    /// <paramref name="rowPrompt"/>[b], attending to its keys and values, at the positions after it (text after a prompt
    /// continues at 1 + its largest position in every stream, as <see cref="RopeIndex"/> numbers it). The same values as
    /// <see cref="Hidden"/> of each prompt ++ continuation — up to summation order — and differentiable through both
    /// parts, at a fraction of the cost when B ≫ U and prompts are long (images included).
    /// </summary>
    /// <param name="prompts">[U, P] right-padded, with the images of the U prompts</param>
    /// <param name="rowPrompt">[B] int64: the prompt each continuation follows</param>
    /// <param name="continuationIds">[B, S] int64, right-padded</param>
    /// <param name="continuationMask">[B, S], 1 = token, 0 = padding</param>
    /// <returns>prompt hidden states [U, P, hidden]; continuation hidden states [B, S, hidden]</returns>
    public (Tensor Prompts, Tensor Continuations) SharedPromptHidden(Qwen25VLInputs prompts, Tensor rowPrompt, Tensor continuationIds, Tensor continuationMask)
    {
        using var scope = NewDisposeScope();
        var ids = prompts.InputIds;
        var mask = prompts.AttentionMask ?? ones_like(ids);
        var positions = prompts.PositionIds ?? PositionIds(ids, mask, prompts.ImageGrids ?? []);                // [3, U, P]
        var (hidden, kv) = _model.ForwardPrefix(Embeds(prompts), positions, mask);
        var after = ContinuationPositions(positions, mask, rowPrompt, continuationIds.shape[1]);             // [3, B, S]
        var continued = _model.ForwardAfter(_model.Embed(continuationIds), after, continuationMask, kv, mask, rowPrompt);
        return (hidden.MoveToOuterDisposeScope(), continued.MoveToOuterDisposeScope());
    }

    // [3, B, S]: every stream of row b at next[rowPrompt[b]] + j, next = 1 + the largest position of the prompt's tokens.
    private static Tensor ContinuationPositions(Tensor positions, Tensor mask, Tensor rowPrompt, long s)
    {
        var pos = ToArray3(positions);
        var valid = ToArray(mask);
        var rows = rowPrompt.to(ScalarType.Int64).cpu().data<long>().ToArray();
        long u = valid.GetLength(0), p = valid.GetLength(1), b = rows.Length;
        var next = new long[u];
        for (var i = 0; i < u; i++)
        for (var j = 0; j < p; j++)
        {
            if (valid[i, j] == 0) continue;
            for (var stream = 0; stream < 3; stream++) next[i] = Math.Max(next[i], pos[(stream * u + i) * p + j] + 1);
        }
        var result = new long[3 * b * s];
        for (var stream = 0; stream < 3; stream++)
        for (var row = 0; row < b; row++)
        for (var j = 0; j < s; j++)
            result[(stream * b + row) * s + j] = next[rows[row]] + j;
        return tensor(result, [3, b, s], device: positions.device);
    }

    private static long[] ToArray3(Tensor t)
    {
        using var scope = NewDisposeScope();
        return t.to(ScalarType.Int64).cpu().contiguous().data<long>().ToArray();
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
