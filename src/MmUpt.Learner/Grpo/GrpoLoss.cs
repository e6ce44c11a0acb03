using MmUpt.Model;
using static TorchSharp.torch;

namespace MmUpt.Learner.Grpo;

/// <summary>
/// The GRPO loss of one micro-batch, as MM-UPT configures EasyR1 (notes/mmupt-method.md §2.1). Per response token t of
/// response i (mask m_it = 1), with Δ_it = log π_θ − log π_old and A_i from <see cref="GroupAdvantages"/>:
/// <code>
///   r      = exp(clamp(Δ, −20, 20))                         ratio (the ±20 clamp only guards exp overflow)
///   r̂      = exp(clamp(Δ, ln(1 − ε_low), ln(1 + ε_high)))    ε_low 0.2, ε_high 0.3 ("clip-higher")
///   ℓ₁ = −A·r,  ℓ₂ = −A·r̂,  ℓ₃ = −A·c                         c = 3 (dual clip)
///   ℓ_pg   = max(ℓ₁, ℓ₂)                 if A ≥ 0
///          = min(max(ℓ₁, ℓ₂), ℓ₃)        if A &lt; 0
///   k3     = clamp(exp(κ) − κ − 1, −10, 10),  κ = clamp(log π_ref − log π_θ, −20, 20)
///   loss   = ( tokmean(w · ℓ_pg) + β · tokmean(k3) ) / n_accum          β = 0.01
/// </code>
/// tokmean(x) = Σ m·x / max(Σ m, 1) over all tokens of the micro-batch (EasyR1 "token" mode, <c>masked_mean</c>; its
/// denominator is Σ m + 1e-8, which differs only for an all-padding micro-batch). The result is a mean of micro-batch
/// token-means, neither a global token-mean nor the paper's per-sequence 1/|o_i| average. w = 1, or the truncated
/// importance weights of the async mode. Left out, as in the original: entropy bonus (coefficient 0; the entropy is a
/// metric), value loss, KL in the reward. r̂ is exp of a clamped log-ratio, so tokens outside the clip range pass no
/// gradient through ℓ₂; ties of max/min split the gradient as torch does.
/// </summary>
public static class GrpoLoss
{
    /// <param name="accumulation">micro-batches per optimizer step (the loss is divided by it)</param>
    public static (Tensor Loss, GrpoLossParts Parts) Compute(GrpoLossInputs x, GrpoOptions o, int accumulation = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(accumulation, 1);
        CheckShapes(x);
        using var scope = NewDisposeScope();
        var mask = x.ResponseMask.to(x.LogProbs.dtype);
        var count = mask.sum().clamp_min(Scalars.Of(1.0));
        Tensor TokMean(Tensor v) => (v * mask).sum() / count;

        var adv = x.Advantages.dim() == 1 ? x.Advantages.unsqueeze(1) : x.Advantages;   // [B, 1] or [B, L]
        var delta = x.LogProbs - x.OldLogProbs;                                         // [B, L]
        var ratio = delta.clamp(Scalars.Of(-o.LogRatioClamp), Scalars.Of(o.LogRatioClamp)).exp();
        var clipped = delta.clamp(Scalars.Of(Math.Log(1 - o.ClipRatioLow)), Scalars.Of(Math.Log(1 + o.ClipRatioHigh))).exp();
        var l1 = -adv * ratio;
        var l2 = -adv * clipped;
        var l3 = -adv * Scalars.Of(o.ClipRatioDual);
        var higher = maximum(l1, l2);
        var negative = adv.lt(Scalars.Of(0)).expand_as(higher);
        var pg = where(negative, minimum(higher, l3), higher);                         // [B, L]
        if (x.IsWeights is { } w) pg = pg * w;
        var pgLoss = TokMean(pg);

        var klLoss = zeros_like(pgLoss);
        if (x.RefLogProbs is { } refLp)
        {
            var kappa = (refLp - x.LogProbs).clamp(Scalars.Of(-o.LogRatioClamp), Scalars.Of(o.LogRatioClamp));
            klLoss = TokMean((kappa.exp() - kappa - Scalars.Of(1)).clamp(Scalars.Of(-o.KlClamp), Scalars.Of(o.KlClamp)));
        }
        var loss = (pgLoss + klLoss * Scalars.Of(o.KlCoef)) / Scalars.Of(accumulation);

        using var noGrad = no_grad();
        var fracHigher = TokMean(l1.lt(l2).to(mask.dtype));
        var fracLower = TokMean((higher.gt(l3) & negative).to(mask.dtype));
        var parts = new GrpoLossParts(
            Item(loss), Item(pgLoss), Item(klLoss), Item(fracHigher), Item(fracLower),
            Item(TokMean(-delta)), Item(TokMean(-x.LogProbs)), (long)Item(mask.sum()));
        return (loss.MoveToOuterDisposeScope(), parts);
    }

    private static double Item(Tensor t) => t.detach().to(ScalarType.Float64).item<double>();

    private static void CheckShapes(GrpoLossInputs x)
    {
        var shape = x.LogProbs.shape;
        if (shape.Length != 2) throw new ArgumentException($"log_probs must be [B][L], got [{string.Join(",", shape)}]");
        foreach (var (name, t) in new[] { ("old_log_probs", x.OldLogProbs), ("ref_log_probs", x.RefLogProbs), ("response_mask", x.ResponseMask), ("is_weights", x.IsWeights) })
        {
            if (t is not null && !t.shape.SequenceEqual(shape))
                throw new ArgumentException($"{name} is [{string.Join(",", t.shape)}], log_probs [{string.Join(",", shape)}]");
        }
        var a = x.Advantages.shape;
        if (!(a.Length == 1 && a[0] == shape[0]) && !a.SequenceEqual(shape))
            throw new ArgumentException($"advantages must be [{shape[0]}] or [{shape[0]},{shape[1]}], got [{string.Join(",", a)}]");
    }
}
