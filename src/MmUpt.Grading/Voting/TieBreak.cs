namespace MmUpt.Grading.Voting;

/// <summary>Which answer wins when several have the most votes (robust mode).</summary>
public enum TieBreak
{
    /// <summary>The answer that appears first in sample order (what the original does: it favours sample 0).</summary>
    FirstSeen,

    /// <summary>The answer whose canonical key is ordinally smallest: independent of sample order.</summary>
    SmallestAnswer,

    /// <summary>No answer wins: the group gets zero advantage.</summary>
    NoWinner,
}
