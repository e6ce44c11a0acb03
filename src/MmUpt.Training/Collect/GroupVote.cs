namespace MmUpt.Training.Collect;

/// <summary>The vote of one trained group, as the step metrics need it (from the voting service's VoteMetrics).</summary>
/// <param name="MajorityKey">The canonical key of the winning answer; empty when no answer won.</param>
/// <param name="MajorityRatio">Votes for the winner / samples.</param>
/// <param name="AnswerEntropy">Entropy (nats) over answer clusters.</param>
/// <param name="Unanimous">Every sample agrees (zero advantage).</param>
/// <param name="RewardMean">Mean reward of the group's trained samples.</param>
/// <param name="ResponseLength">Mean response length in tokens.</param>
/// <param name="MajorityCorrect">Whether the vote matches the reference; null when the prompt carries none (UPT).</param>
public sealed record GroupVote(
    string MajorityKey,
    double MajorityRatio,
    double AnswerEntropy,
    bool Unanimous,
    double RewardMean,
    double ResponseLength,
    bool? MajorityCorrect = null);
