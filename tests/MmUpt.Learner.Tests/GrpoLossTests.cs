using MmUpt.Learner.Grpo;
using static TorchSharp.torch;

namespace MmUpt.Learner.Tests;

/// <summary>Each term of the loss on tensors small enough to work out by hand (values in the comments).</summary>
public class GrpoLossTests
{
    private static readonly GrpoOptions Defaults = new();

    private static (double Loss, GrpoLossParts Parts, double[] Grad) Run(double[,] logp, double[,]? old, double[] adv,
        double[,]? mask = null, double[,]? refLp = null, int accumulation = 1)
    {
        using var scope = NewDisposeScope();
        Tensor T(double[,] m) => tensor(m.Cast<double>().ToArray(), [m.GetLength(0), m.GetLength(1)], dtype: ScalarType.Float64);
        var lp = T(logp).requires_grad_(true);
        var inputs = new GrpoLossInputs(lp, old is null ? lp.detach().clone() : T(old), refLp is null ? null : T(refLp),
            mask is null ? ones_like(lp).detach() : T(mask), tensor(adv, dtype: ScalarType.Float64));
        var (loss, parts) = GrpoLoss.Compute(inputs, Defaults, accumulation);
        loss.backward();
        return (loss.item<double>(), parts, lp.grad!.data<double>().ToArray());
    }

    [Fact]
    public void PositiveAdvantageRatioAboveOnePlusEpsHighIsClippedAndPassesNoGradient()
    {
        // A = 1, ratio 2: ℓ₁ = −2, ℓ₂ = −1.3, max = −1.3; clipped, so ∂/∂logp = 0.
        var r = Run(new[,] { { Math.Log(2) } }, new[,] { { 0.0 } }, [1.0]);
        Assert.Equal(-1.3, r.Loss, 12);
        Assert.Equal(1.0, r.Parts.ClipFracHigher);
        Assert.Equal(0.0, r.Parts.ClipFracLower);
        Assert.Equal(0.0, r.Grad[0]);
        Assert.Equal(-Math.Log(2), r.Parts.PpoKl, 12);
    }

    [Fact]
    public void RatioInsideTheRangeIsNotClippedAndHasGradientMinusAR()
    {
        // A = 1, ratio 1.1: ℓ = −1.1, ∂ℓ/∂logp = −A·r = −1.1.
        var r = Run(new[,] { { Math.Log(1.1) } }, new[,] { { 0.0 } }, [1.0]);
        Assert.Equal(-1.1, r.Loss, 12);
        Assert.Equal(0.0, r.Parts.ClipFracHigher);
        Assert.Equal(-1.1, r.Grad[0], 12);
    }

    [Fact]
    public void NegativeAdvantageRatioBelowOneMinusEpsLowIsClipped()
    {
        // A = −1, ratio 0.5: ℓ₁ = 0.5, ℓ₂ = 0.8, max = 0.8 (< c = 3); clipped, gradient 0.
        var r = Run(new[,] { { Math.Log(0.5) } }, new[,] { { 0.0 } }, [-1.0]);
        Assert.Equal(0.8, r.Loss, 12);
        Assert.Equal(1.0, r.Parts.ClipFracHigher);
        Assert.Equal(0.0, r.Parts.ClipFracLower);
        Assert.Equal(0.0, r.Grad[0]);
        // A = +1, ratio 0.5 is not clipped: ℓ = −0.5, gradient −0.5.
        var p = Run(new[,] { { Math.Log(0.5) } }, new[,] { { 0.0 } }, [1.0]);
        Assert.Equal(-0.5, p.Loss, 12);
        Assert.Equal(-0.5, p.Grad[0], 12);
    }

    [Fact]
    public void NegativeAdvantageLargeRatioIsBoundedByTheDualClip()
    {
        // A = −1, ratio 4: ℓ₁ = 4, ℓ₂ = 1.3, max = 4 > ℓ₃ = 3, so 3; no gradient. Ratio 2: 2 < 3, gradient −A·r = 2.
        var r = Run(new[,] { { Math.Log(4), Math.Log(2) } }, new[,] { { 0.0, 0.0 } }, [-1.0]);
        Assert.Equal((3.0 + 2.0) / 2, r.Loss, 12);
        Assert.Equal(0.5, r.Parts.ClipFracLower, 12);
        Assert.Equal(0.0, r.Parts.ClipFracHigher, 12);
        Assert.Equal(0.0, r.Grad[0]);
        Assert.Equal(2.0 / 2, r.Grad[1], 12);
    }

    [Fact]
    public void KlTermIsK3ClampedAtTenWithCoefficientOneHundredth()
    {
        // κ = ref − logp. κ = 0.5: k3 = e^0.5 − 1.5 = 0.1487212707, ∂k3/∂logp = 1 − e^0.5. κ = 3: e³ − 4 = 16.09 → 10, no gradient.
        // Ratio 1 everywhere with A = 0, so the loss is β · mean(k3).
        var logp = new[,] { { -1.0, -2.0 } };
        var r = Run(logp, null, [0.0], refLp: new[,] { { -0.5, 1.0 } });
        var k3 = Math.Exp(0.5) - 1.5;
        Assert.Equal((k3 + 10.0) / 2, r.Parts.KlLoss, 12);
        Assert.Equal(0.01 * (k3 + 10.0) / 2, r.Loss, 12);
        Assert.Equal(0.01 * (1 - Math.Exp(0.5)) / 2, r.Grad[0], 12);
        Assert.Equal(0.0, r.Grad[1]);
    }

    [Fact]
    public void TokenMeanIgnoresPaddingAndIsDividedByTheAccumulationCount()
    {
        // Ratio 1, so ℓ = −A per token. Tokens: row 0 two (A = 1), row 1 one (A = −4): (−1 − 1 + 4) / 3 = 2/3.
        // Padding carries junk log-probs that must change nothing. ∂/∂logp = −A / 3 on real tokens, 0 on padding; / 4 accumulation.
        var logp = new[,] { { -0.3, -1.2, 55.0 }, { -2.0, -9.0, 7.0 } };
        var mask = new[,] { { 1.0, 1.0, 0.0 }, { 1.0, 0.0, 0.0 } };
        var r = Run(logp, null, [1.0, -4.0], mask, accumulation: 4);
        Assert.Equal(2.0 / 3 / 4, r.Loss, 12);
        Assert.Equal(2.0 / 3, r.Parts.PgLoss, 12);
        Assert.Equal(3, r.Parts.Tokens);
        Assert.Equal([-1.0 / 12, -1.0 / 12, 0, 4.0 / 12, 0, 0], r.Grad, new RoundedComparer());
        Assert.Equal((0.3 + 1.2 + 2.0) / 3, r.Parts.Entropy, 12);
    }

    [Fact]
    public void AdvantagesUseTheUnbiasedStdAndAConstantGroupGetsZero()
    {
        // Group a: mean 0.5, unbiased std √(1/3); A = ±0.5 / (√(1/3) + 1e-6). Group b: all equal → 0 (not NaN).
        var a = GroupAdvantages.Compute([1, 0, 0, 1, 1, 1, 1], ["a", "a", "a", "a", "b", "b", "b"], 1e-6);
        var expected = 0.5 / (Math.Sqrt(1.0 / 3) + 1e-6);
        Assert.Equal([expected, -expected, -expected, expected, 0, 0, 0], a, new RoundedComparer());
        Assert.True(GroupAdvantages.IsZeroSignal([1.0, 1.0, 1.0]));
        var single = Assert.Throws<ArgumentException>(() => GroupAdvantages.Compute([1.0], ["x"], 1e-6));
        Assert.Contains("\"x\"", single.Message);
    }

    private sealed class RoundedComparer : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) < 1e-10;
        public int GetHashCode(double obj) => 0;
    }
}
