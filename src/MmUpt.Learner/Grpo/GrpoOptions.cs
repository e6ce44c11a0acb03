using System.ComponentModel.DataAnnotations;

namespace MmUpt.Learner.Grpo;

/// <summary>
/// The knobs of the GRPO objective (<see cref="GrpoLoss"/>). Section <c>Learner:Grpo</c>. Defaults are MM-UPT's
/// (EasyR1 <c>examples/config.yaml</c> and the actor dataclass defaults; notes/mmupt-method.md §2.1).
/// </summary>
public sealed class GrpoOptions
{
    /// <summary>PPO clip below 1: ratios under 1 − this are clipped (ε_low). Default 0.2.</summary>
    [Range(0.0, 1.0, MinimumIsExclusive = true, MaximumIsExclusive = true)]
    public double ClipRatioLow { get; set; } = 0.2;

    /// <summary>PPO clip above 1 ("clip-higher", ε_high). Default 0.3.</summary>
    [Range(0.0, 100.0, MinimumIsExclusive = true)]
    public double ClipRatioHigh { get; set; } = 0.3;

    /// <summary>Dual-clip bound c for negative advantages: the per-token loss is at most −A·c. Default 3.0; must exceed 1.</summary>
    [Range(1.0, 1000.0, MinimumIsExclusive = true)]
    public double ClipRatioDual { get; set; } = 3.0;

    /// <summary>β of the k3 KL-to-reference term in the loss. Default 0.01; 0 disables the term and the reference model.</summary>
    [Range(0.0, 100.0)]
    public double KlCoef { get; set; } = 0.01;

    /// <summary>The per-token k3 estimate is clamped to [−this, this]. Default 10 (EasyR1 <c>low_var_kl</c>).</summary>
    [Range(0.0, 1e6, MinimumIsExclusive = true)]
    public double KlClamp { get; set; } = 10.0;

    /// <summary>ε in A = (r − mean) / (std + ε), std unbiased. Default 1e-6.</summary>
    [Range(0.0, 1.0)]
    public double AdvantageEps { get; set; } = 1e-6;

    /// <summary>
    /// Log-ratios (log π − log π_old and ref − log π) are clamped to ±this before exp, so one token far off-policy
    /// cannot overflow to inf·0 = NaN in backward. Default 20 (as EasyR1 and verl today); it changes nothing for |Δ| ≤ 20.
    /// </summary>
    [Range(1.0, 80.0)]
    public double LogRatioClamp { get; set; } = 20.0;

    /// <summary>Copies the values, for per-request overrides (the <c>grpo-loss</c> command's <c>config</c>).</summary>
    public GrpoOptions Clone() => (GrpoOptions)MemberwiseClone();
}
