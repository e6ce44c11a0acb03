using MmUpt.Grading.Equivalence;

namespace MmUpt.Grading.Voting;

/// <summary>
/// The one vote of a group of responses to one prompt, shared by the voting service (training rewards) and
/// <c>mmupt eval</c> (maj@K), so both decide a group identically: the options' aggregator, and in the robust mode with
/// <see cref="VoteOptions.ParseChoices"/> the lettered options read from the rendered prompt text.
/// </summary>
public sealed class GroupVoter(VoteOptions options)
{
    private readonly IVoteAggregator _aggregator = VoteAggregators.Create(options);

    public VoteOptions Options { get; } = options;

    /// <summary>
    /// Votes <paramref name="responses"/> (sample order); <paramref name="reference"/> null or empty = unlabelled;
    /// <paramref name="groupId"/> seeds the random mode's draw.
    /// </summary>
    public GroupVote Vote(IReadOnlyList<string> responses, string? promptText, string? reference, string? groupId = null)
    {
        var choices = Options is { Mode: VoteMode.Robust, ParseChoices: true } && promptText is not null ? ChoiceSet.Parse(promptText) : null;
        return _aggregator.Vote(new VoteInput(responses, string.IsNullOrEmpty(reference) ? null : reference, choices, groupId));
    }
}
