using MmUpt.Model;
using MmUpt.Processing.Layout;
using MmUpt.Rollout.Engine;
using static TorchSharp.torch;

/// <summary>
/// What a .NET user would write instead of ORT GenAI: the TorchSharp model sampling with its <see cref="KvCache"/>.
/// The same work as one engine group: the prompt (image included) prefilled once and its cache copied to G rows, then
/// one token per row per step — banned ids at −inf, softmax at temperature T, one multinomial draw per row, the drawn
/// token's log-prob (the behaviour log-prob the engine reports), tokens read back to the host every step as a
/// streaming sampler must.
/// </summary>
internal static class TorchKvLoop
{
    /// <returns>tokens generated</returns>
    public static long Run(Qwen25VLForConditionalGeneration model, PreparedPrompt prompt, int rows, int newTokens, int[] banned,
        float temperature, ulong seed)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var ids = tensor(prompt.TokenIds.Select(i => (long)i).ToArray()).unsqueeze(0);                // [1, L]
        var pixels = prompt.Images.Count == 0 ? null
            : cat(prompt.Images.Select(i => tensor(i.PixelValues, [i.Patches, i.PatchDim])).ToArray(), 0); // [P, 1176]
        var grids = prompt.Images.Select(i => new GridThw(i.GridT, i.GridH, i.GridW)).ToList();
        var next = model.PositionIds(ids, ones_like(ids), grids).amax([2], keepdim: true).expand(3, rows, 1) + 1; // [3, G, 1]
        var mask = ones(rows, ids.shape[1], dtype: ScalarType.Int64);                                  // [G, L]
        var bannedIds = tensor(banned.Select(i => (long)i).ToArray());
        var generator = new TorchSharp.torch.Generator(seed);
        // The prompt is the same for every row: prefill it once, then give each row its own copy of the cache.
        KvCache cache;
        Tensor logits;
        using (var prefill = new KvCache(model, 1, ids.shape[1] + newTokens))
        {
            logits = model.CachedLogits(new Qwen25VLInputs(ids, null, pixels, grids), prefill).expand(rows, -1); // [G, V]
            cache = prefill.Repeat(rows);
        }
        using var owned = cache;
        long generated = 0;
        for (var t = 0; t < newTokens; t++)
        {
            using var step = NewDisposeScope();
            var logProbs = (logits / Scalars.Of(temperature)).index_fill(1, bannedIds, Scalars.Of(float.NegativeInfinity)).log_softmax(-1); // [G, V]
            var token = logProbs.exp().multinomial(1, generator: generator);                          // [G, 1]
            var behaviour = logProbs.gather(1, token);                                                 // [G, 1]
            _ = (token.data<long>().ToArray(), behaviour.data<float>().ToArray());
            generated += rows;
            if (t == newTokens - 1) break;
            mask = cat([mask, ones(rows, 1, dtype: ScalarType.Int64)], 1).MoveToOuterDisposeScope();     // [G, L + t + 1]
            logits.Dispose();
            logits = model.CachedLogits(new Qwen25VLInputs(token, mask, PositionIds: next + t), cache).MoveToOuterDisposeScope();
        }
        return generated;
    }
}
