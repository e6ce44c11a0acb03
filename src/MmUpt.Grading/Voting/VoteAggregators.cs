namespace MmUpt.Grading.Voting;

public static class VoteAggregators
{
    /// <summary>The aggregator of <paramref name="options"/>' mode, after validating the options.</summary>
    public static IVoteAggregator Create(VoteOptions options)
    {
        options.Validate();
        return options.Mode switch
        {
            VoteMode.Faithful => new FaithfulVoteAggregator(options),
            VoteMode.Robust => new RobustVoteAggregator(options),
            VoteMode.Random => new RandomVoteAggregator(options),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Mode, "unknown vote mode"),
        };
    }
}
