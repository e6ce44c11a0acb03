using static TorchSharp.torch;

namespace MmUpt.Model;

/// <summary>
/// Per-token log-probs <c>log softmax(logits / T)[target] = logit_t/T − logsumexp(logits/T)</c> in fp32, over chunks
/// of positions so the full [B, L, V] log-softmax (or logits) never exists. Legend: B batch, L positions, V vocab.
/// </summary>
public static class TokenLogProbs
{
    /// <param name="hidden">[B, L, hidden] lm_head inputs</param>
    /// <param name="headWeight">[V, hidden]</param>
    /// <param name="targets">[B, L] int64</param>
    /// <returns>[B, L] fp32</returns>
    public static Tensor FromHidden(Tensor hidden, Tensor headWeight, Tensor targets, double temperature, int chunkTokens = 256)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(temperature, 0);
        using var scope = NewDisposeScope();
        var l = hidden.shape[1];
        var parts = new List<Tensor>();
        for (long s = 0; s < l; s += chunkTokens)
        {
            var n = Math.Min(chunkTokens, l - s);
            var logits = nn.functional.linear(hidden.narrow(1, s, n), headWeight);  // [B, n, V]
            parts.Add(FromLogits(logits, targets.narrow(1, s, n), temperature));
        }
        return cat(parts, 1).MoveToOuterDisposeScope();
    }

    /// <param name="logits">[B, L, V] any float dtype</param>
    /// <param name="targets">[B, L] int64</param>
    public static Tensor FromLogits(Tensor logits, Tensor targets, double temperature)
    {
        using var scope = NewDisposeScope();
        var scaled = logits.to(Precision.AtLeastFloat32(logits.dtype)) / temperature;
        var picked = scaled.gather(-1, targets.unsqueeze(-1)).squeeze(-1);           // [B, L]
        return (picked - scaled.logsumexp(-1)).MoveToOuterDisposeScope();
    }
}
