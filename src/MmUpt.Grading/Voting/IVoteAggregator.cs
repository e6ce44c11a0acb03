namespace MmUpt.Grading.Voting;

/// <summary>Extracts the answers of one group, votes, and assigns every sample a reward in {0, 1}.</summary>
public interface IVoteAggregator
{
    VoteMode Mode { get; }

    GroupVote Vote(VoteInput input);
}
