using System.Numerics.Tensors;

namespace MmUpt.Rollout.Engine;

/// <summary>Log-probabilities from raw logits.</summary>
public static class LogProbs
{
    /// <summary>
    /// <c>log_softmax(logits / temperature)[token]</c>, accumulated in double (log-sum-exp with the max subtracted;
    /// the exponentials and their sum vectorized).
    /// </summary>
    public static float Tempered(ReadOnlySpan<float> logits, int token, double temperature)
    {
        if ((uint)token >= (uint)logits.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(token), token, $"token id outside the vocabulary of {logits.Length}");
        }
        double max = TensorPrimitives.Max(logits);
        return FromSum(logits[token], max, temperature, TensorPrimitives.Sum(RowSampler.Weights(logits, max, 1.0 / temperature)));
    }

    /// <summary>(logit − max) / T − log Σ exp((l − max) / T), given the row's max and that sum.</summary>
    internal static float FromSum(float logit, double max, double temperature, double sum) =>
        (float)((logit - max) / temperature - Math.Log(sum));
}
