using Microsoft.Extensions.Configuration;
using MmUpt.Core.Options;
using MmUpt.Grading.Voting;

namespace MmUpt.Voting.Tests;

public sealed class VotingOptionsTests
{
    private static VotingOptions Bind(params (string Key, string Value)[] values)
    {
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>($"Voting:{v.Key}", v.Value)))
            .Build();
        return OptionsBinder.Bind<VotingOptions>(config, VotingOptions.Section);
    }

    [Fact]
    public void Robust_settings_map_onto_the_vote()
    {
        var vote = Bind(("Mode", "robust"), ("MinAgreement", "0.5"), ("TieBreak", "none"), ("TrainCount", "8")).ToVoteOptions();
        Assert.Equal(VoteMode.Robust, vote.Mode);
        Assert.Equal(0.5, vote.MinAgreement);
        Assert.Equal(TieBreak.NoWinner, vote.TieBreak);
        Assert.Equal(8, vote.TrainCount);
    }

    [Fact]
    public void Robust_only_settings_are_refused_in_the_faithful_mode()
    {
        var ex = Assert.Throws<OptionsException>(() => Bind(("MinAgreement", "0.3")));
        Assert.Equal("Voting:MinAgreement", ex.Key);
    }

    [Fact]
    public void The_random_mode_binds_and_refuses_robust_only_settings()
    {
        var vote = Bind(("Mode", "random"), ("TrainCount", "4")).ToVoteOptions();
        Assert.Equal(VoteMode.Random, vote.Mode);
        Assert.Equal(4, vote.TrainCount);
        var ex = Assert.Throws<OptionsException>(() => Bind(("Mode", "random"), ("TieBreak", "none")));
        Assert.Equal("Voting:TieBreak", ex.Key);
        Assert.Contains("'random'", ex.Message);
    }

    [Fact]
    public void Bad_values_name_their_key()
    {
        Assert.Equal("Voting:Mode", Assert.Throws<OptionsException>(() => Bind(("Mode", "loud"))).Key);
        Assert.Equal("Voting:TieBreak", Assert.Throws<OptionsException>(() => Bind(("Mode", "robust"), ("TieBreak", "coin"))).Key);
        Assert.Throws<OptionsException>(() => Bind(("Nope", "1")));
    }
}
