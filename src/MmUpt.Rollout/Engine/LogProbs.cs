namespace MmUpt.Rollout.Engine;

/// <summary>Log-probabilities from raw logits.</summary>
public static class LogProbs
{
    /// <summary><c>log_softmax(logits / temperature)[token]</c>, accumulated in double (log-sum-exp with the max subtracted).</summary>
    public static float Tempered(ReadOnlySpan<float> logits, int token, double temperature)
    {
        if ((uint)token >= (uint)logits.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(token), token, $"token id outside the vocabulary of {logits.Length}");
        }
        var max = double.NegativeInfinity;
        foreach (var l in logits)
        {
            max = Math.Max(max, l);
        }
        var sum = 0.0;
        foreach (var l in logits)
        {
            sum += Math.Exp((l - max) / temperature);
        }
        return (float)((logits[token] - max) / temperature - Math.Log(sum));
    }
}
