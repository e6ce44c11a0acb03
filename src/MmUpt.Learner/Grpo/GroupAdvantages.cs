namespace MmUpt.Learner.Grpo;

/// <summary>
/// GRPO outcome advantages (EasyR1/verl <c>compute_grpo_outcome_advantage</c>): for each group g,
/// <c>A_i = (r_i − mean_g) / (std_g + ε)</c> with the unbiased (N − 1) standard deviation. A group whose rewards are all
/// equal gets A = 0 (no learning signal). Groups of one response are rejected: their unbiased std is undefined
/// (EasyR1 asserts "GRPO needs rollout.n > 1").
/// </summary>
public static class GroupAdvantages
{
    /// <param name="rewards">one reward per response</param>
    /// <param name="groupIds">the group of each response (any labels; responses of one group need not be adjacent)</param>
    /// <param name="eps">ε added to the std</param>
    public static double[] Compute(IReadOnlyList<double> rewards, IReadOnlyList<string> groupIds, double eps)
    {
        if (rewards.Count != groupIds.Count)
            throw new ArgumentException($"rewards has {rewards.Count} entries, group_ids {groupIds.Count}");
        var advantages = new double[rewards.Count];
        foreach (var group in Enumerable.Range(0, rewards.Count).GroupBy(i => groupIds[i]))
        {
            var idx = group.ToArray();
            if (idx.Length < 2)
                throw new ArgumentException($"group \"{group.Key}\" has one response; GRPO needs at least 2 per group");
            var r = idx.Select(i => rewards[i]).ToArray();
            if (r.Any(x => !double.IsFinite(x)))
                throw new ArgumentException($"group \"{group.Key}\" has a reward that is not finite");
            var mean = r.Average();
            var std = Math.Sqrt(r.Sum(x => (x - mean) * (x - mean)) / (r.Length - 1));
            foreach (var i in idx) advantages[i] = (rewards[i] - mean) / (std + eps);
        }
        return advantages;
    }

    /// <summary>True when every reward of the group is equal: A = 0 for all, a zero-signal group.</summary>
    public static bool IsZeroSignal(IReadOnlyList<double> rewards) => rewards.All(r => r == rewards[0]);
}
