using MmUpt.Checkpoint;

namespace MmUpt.Testing;

/// <summary>
/// The parity arithmetic shared by the export, rollout and weights tests: the TorchSharp reference gets the exported
/// decoder's never-sampled mask, and the error is max |a − b| / max |b| over the finite reference values.
/// </summary>
public static class LogitsParity
{
    /// <summary>Sets the <see cref="NeverSampledTokens"/> columns of every row of <paramref name="values"/> ([rows, vocab]) to −inf, in place.</summary>
    public static float[] MaskNeverSampled(float[] values, int vocab, Qwen25VLConfig config)
    {
        var ids = NeverSampledTokens.Ids(config);
        for (var row = 0; row < values.Length; row += vocab)
        {
            foreach (var id in ids)
            {
                values[row + id] = float.NegativeInfinity;
            }
        }
        return values;
    }

    /// <summary>max |a − b| / max |b| over the compared values.</summary>
    public static double RelativeError(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        double diff = 0, scale = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            if (float.IsFinite(expected[i]))
            {
                scale = Math.Max(scale, Math.Abs((double)expected[i]));
            }
            if (actual[i] != expected[i])
            {
                // Equal values (the masked columns are −inf on both sides) add no difference.
                diff = Math.Max(diff, Math.Abs((double)actual[i] - expected[i]));
            }
        }
        return diff / scale;
    }
}
