namespace MmUpt.Evaluation;

/// <summary>
/// The unbiased pass@k estimator of Chen et al. 2021 (HumanEval): with n samples of which c are correct,
/// pass@k = 1 − C(n−c, k) / C(n, k), computed as 1 − Π_{i=n−c+1..n} (1 − k/i) to stay stable for large n.
/// pass@1 = c/n and pass@n = [c &gt; 0].
/// </summary>
public static class PassAtK
{
    public static double Estimate(int n, int c, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        ArgumentOutOfRangeException.ThrowIfNegative(c);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(c, n);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, n);
        if (n - c < k)
        {
            return 1.0;
        }
        var fail = 1.0;
        for (var i = n - c + 1; i <= n; i++)
        {
            fail *= 1.0 - (double)k / i;
        }
        return 1.0 - fail;
    }
}
