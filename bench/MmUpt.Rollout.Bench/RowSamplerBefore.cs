// RowSampler as it was before the partial selection (a full LINQ sort of every positive-weight token for top-k/top-p,
// two exp passes for the full distribution), kept verbatim so the benchmark times both on the same logits in one run
// and checks that they draw the same tokens.
internal static class RowSamplerBefore
{
    public static int Sample(ReadOnlySpan<float> logits, float temperature, int topK, float topP, bool[]? banned, double u)
    {
        var max = double.NegativeInfinity;
        var argmax = -1;
        for (var i = 0; i < logits.Length; i++)
        {
            if ((banned is null || !banned[i]) && logits[i] > max)
            {
                max = logits[i];
                argmax = i;
            }
        }
        if (argmax < 0)
        {
            throw new InvalidOperationException("every token is banned or has logit −inf");
        }
        if (topK == 1)
        {
            return argmax;
        }
        var inverseT = 1.0 / temperature;
        if ((topK == 0 || topK >= logits.Length) && topP >= 1f)
        {
            // The full distribution: no sort needed.
            var sum = 0.0;
            for (var i = 0; i < logits.Length; i++)
            {
                sum += Weight(logits, banned, i, max, inverseT);
            }
            var target = u * sum;
            var last = argmax;
            for (var i = 0; i < logits.Length; i++)
            {
                var w = Weight(logits, banned, i, max, inverseT);
                if (w <= 0)
                {
                    continue;
                }
                last = i;
                target -= w;
                if (target < 0)
                {
                    return i;
                }
            }
            return last;
        }
        return SampleTruncated(logits, topK, topP, banned, u, max, inverseT);
    }

    private static int SampleTruncated(ReadOnlySpan<float> logits, int topK, float topP, bool[]? banned, double u, double max, double inverseT)
    {
        var ids = new List<int>(logits.Length);
        var kept = new List<double>(logits.Length);
        for (var i = 0; i < logits.Length; i++)
        {
            var w = Weight(logits, banned, i, max, inverseT);
            if (w > 0)
            {
                ids.Add(i);
                kept.Add(w);
            }
        }
        var weights = kept.ToArray();
        var order = Enumerable.Range(0, ids.Count).OrderByDescending(j => weights[j]).ThenBy(j => ids[j]).ToArray();
        var count = topK > 0 ? Math.Min(topK, order.Length) : order.Length;
        var total = 0.0;
        for (var j = 0; j < count; j++)
        {
            total += weights[order[j]];
        }
        if (topP < 1f)
        {
            var mass = 0.0;
            for (var j = 0; j < count; j++)
            {
                mass += weights[order[j]];
                if (mass >= topP * total)
                {
                    count = j + 1;
                    total = mass;
                    break;
                }
            }
        }
        var target = u * total;
        for (var j = 0; j < count; j++)
        {
            target -= weights[order[j]];
            if (target < 0)
            {
                return ids[order[j]];
            }
        }
        return ids[order[count - 1]];
    }

    private static double Weight(ReadOnlySpan<float> logits, bool[]? banned, int i, double max, double inverseT) =>
        banned is not null && banned[i] ? 0 : Math.Exp((logits[i] - max) * inverseT);
}

// LogProbs.Tempered as it was before TensorPrimitives (scalar Math.Exp per logit), kept verbatim for the same comparison.
internal static class LogProbsBefore
{
    public static float Tempered(ReadOnlySpan<float> logits, int token, double temperature)
    {
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
