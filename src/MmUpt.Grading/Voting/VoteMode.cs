namespace MmUpt.Grading.Voting;

/// <summary>
/// How a group's answers are voted (see <see cref="FaithfulVoteAggregator"/>, <see cref="RobustVoteAggregator"/>,
/// <see cref="RandomVoteAggregator"/>).
/// </summary>
public enum VoteMode
{
    /// <summary>The original MM-UPT reward manager: exact strings, first seen wins ties, "None" is an answer.</summary>
    Faithful,

    /// <summary>Equivalence clusters, abstentions never win, deterministic ties, optional minimum agreement.</summary>
    Robust,

    /// <summary>The control: the label is the answer of a sample drawn at random (seeded by the group id), graded as faithful.</summary>
    Random,
}
