namespace MmUpt.Grading.Voting;

/// <summary>How a group's answers are voted (see <see cref="FaithfulVoteAggregator"/>, <see cref="RobustVoteAggregator"/>).</summary>
public enum VoteMode
{
    /// <summary>The original MM-UPT reward manager: exact strings, first seen wins ties, "None" is an answer.</summary>
    Faithful,

    /// <summary>Equivalence clusters, abstentions never win, deterministic ties, optional minimum agreement.</summary>
    Robust,
}
