using MmUpt.Model;
using MmUpt.Processing.Layout;
using static TorchSharp.torch;

namespace MmUpt.Model.Tests;

/// <summary>
/// Sampling with a <see cref="KvCache"/> gives the logits the full forward gives: a prompt with an image prefilled in
/// one call, then tokens appended one at a time (and two rows, one left-padded), against the whole sequence at once.
/// </summary>
public sealed class KvCacheTests
{
    [Fact]
    public void Prefill_then_one_token_at_a_time_equals_the_full_forward()
    {
        var config = TinyModels.Config();
        using var model = Qwen25VLModel.CreateRandom(config, seed: 3, ModelOptions.CpuFloat32);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var full = TinyModels.Batch(config, [new GridThw(1, 4, 6)], seed: 4, textAfter: 9);
        var ids = full.InputIds;                                                               // [1, L]
        var length = ids.shape[1];
        const int appended = 5;
        var prompt = length - appended;
        var positions = model.PositionIds(ids, ones_like(ids), full.ImageGrids!);               // [3, 1, L]
        var expected = model.forward(full);                                                    // [1, L, V]

        using var cache = new KvCache(model, rows: 1, capacity: length);
        var logits = model.CachedLogits(full with { InputIds = ids[.., ..(int)prompt], PositionIds = positions[.., .., ..(int)prompt] }, cache);
        AssertClose(expected[.., prompt - 1], logits);
        for (var t = prompt; t < length; t++)
        {
            var step = new Qwen25VLInputs(ids[.., (int)t..(int)(t + 1)], ones(1, t + 1, dtype: ScalarType.Int64), PositionIds: positions[.., .., (int)t..(int)(t + 1)]);
            logits = model.CachedLogits(step, cache);
            AssertClose(expected[.., t], logits);
        }
        Assert.Equal(length, cache.Length);
    }

    [Fact]
    public void A_padded_row_in_the_cache_is_masked_out()
    {
        var config = TinyModels.Config();
        using var model = Qwen25VLModel.CreateRandom(config, seed: 3, ModelOptions.CpuFloat32);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        // Row 0 is text only, 8 tokens; row 1 the same 6 last tokens left-padded by 2. Decoding 2 more tokens for both
        // must give row 1 exactly its own unpadded logits.
        var text = tensor(new long[] { 30, 41, 52, 63, 74, 85, 96, 107, 118, 129 }).unsqueeze(0);   // [1, 10]
        var alone = model.forward(new Qwen25VLInputs(text[.., 2..]));                             // [1, 8, V]
        var ids = cat([text[.., ..8], cat([zeros(1, 2, dtype: ScalarType.Int64), text[.., 2..8]], 1)], 0); // [2, 8]
        var mask = tensor(new long[,] { { 1, 1, 1, 1, 1, 1, 1, 1 }, { 0, 0, 1, 1, 1, 1, 1, 1 } });
        var positions = model.PositionIds(ids, mask, []);                                          // [3, 2, 8]

        using var cache = new KvCache(model, rows: 2, capacity: 10);
        var logits = model.CachedLogits(new Qwen25VLInputs(ids, mask, PositionIds: positions), cache);
        AssertClose(alone[.., 5], logits[1..2]);
        for (var t = 0; t < 2; t++)
        {
            var next = cat([text[.., (8 + t)..(9 + t)], text[.., (8 + t)..(9 + t)]], 0);          // [2, 1]
            mask = cat([mask, ones(2, 1, dtype: ScalarType.Int64)], 1);                             // [2, 8 + t + 1]
            var at = positions.amax([2], keepdim: true) + 1 + t;                                  // [3, 2, 1]
            logits = model.CachedLogits(new Qwen25VLInputs(next, mask, PositionIds: at), cache);
            var whole = model.forward(new Qwen25VLInputs(text[.., 2..(9 + t)]));                  // [1, 7 + t, V]
            AssertClose(whole[.., -1], logits[1..2]);
        }
    }

    private static void AssertClose(Tensor expected, Tensor actual)
    {
        var diff = (expected - actual).abs().max().item<float>();
        Assert.True(diff < 1e-4f, $"max |Δ logits| = {diff}");
    }
}
