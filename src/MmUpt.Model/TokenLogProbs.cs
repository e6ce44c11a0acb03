using static TorchSharp.torch;

namespace MmUpt.Model;

/// <summary>
/// Per-token log-probs <c>log softmax(logits / T)[target] = logit_t/T − logsumexp(logits/T)</c> in fp32, the
/// never-sampled columns at −∞ when given (<c>NeverSampledTokens.Ids</c>: the exported decoder masks the same
/// columns, so behaviour and learner log-probs agree). From hidden states they go through
/// <see cref="VocabChunkedLogProbs"/>: at most [chunk, V] logits exist at once, in forward and in backward.
/// Legend: B batch, L positions, V vocab.
/// </summary>
public static class TokenLogProbs
{
    /// <param name="hidden">[B, L, hidden] lm_head inputs</param>
    /// <param name="headWeight">[V, hidden]</param>
    /// <param name="targets">[B, L] int64</param>
    /// <param name="chunkTokens">rows of the flattened [B·L] per vocabulary chunk</param>
    /// <param name="neverSampled">ids whose logits are −∞; null or empty: none</param>
    /// <returns>[B, L] fp32</returns>
    public static Tensor FromHidden(Tensor hidden, Tensor headWeight, Tensor targets, double temperature, int chunkTokens = 256,
        IReadOnlyList<int>? neverSampled = null)
    {
        using var scope = NewDisposeScope();
        long b = hidden.shape[0], l = hidden.shape[1];
        var flat = FromFlatHidden(hidden.reshape(b * l, -1), headWeight, targets.reshape(b * l), temperature, chunkTokens, neverSampled); // [B·L]
        return flat.view(b, l).MoveToOuterDisposeScope();
    }

    /// <param name="hidden">[N, hidden]</param>
    /// <param name="targets">[N] int64</param>
    /// <returns>[N] fp32</returns>
    public static Tensor FromFlatHidden(Tensor hidden, Tensor headWeight, Tensor targets, double temperature, int chunkTokens = 256,
        IReadOnlyList<int>? neverSampled = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(temperature, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkTokens, 1);
        using var scope = NewDisposeScope();
        var banned = neverSampled is { Count: > 0 } ids ? tensor(ids.Select(i => (long)i).ToArray(), device: hidden.device) : null;
        return VocabChunkedLogProbs.Apply(hidden, headWeight, targets.to(ScalarType.Int64), temperature, banned, chunkTokens)
            .MoveToOuterDisposeScope();
    }

    /// <param name="logits">[B, L, V] any float dtype</param>
    /// <param name="targets">[B, L] int64</param>
    public static Tensor FromLogits(Tensor logits, Tensor targets, double temperature)
    {
        using var scope = NewDisposeScope();
        var scaled = logits.to(Precision.AtLeastFloat32(logits.dtype)) / Scalars.Of(temperature);
        var picked = scaled.gather(-1, targets.unsqueeze(-1)).squeeze(-1);           // [B, L]
        return (picked - scaled.logsumexp(-1)).MoveToOuterDisposeScope();
    }
}
