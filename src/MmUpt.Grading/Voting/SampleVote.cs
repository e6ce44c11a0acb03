namespace MmUpt.Grading.Voting;

/// <summary>
/// One sample's part in a vote. <see cref="Answer"/> is the extracted answer (faithful: the string "None" when there
/// is none, as the original); <see cref="Key"/> its canonical form, null when it <see cref="Abstained"/>;
/// <see cref="Cluster"/> the index of its vote bucket (-1 when abstaining in robust mode).
/// </summary>
public sealed record SampleVote(int Index, string Answer, string? Key, bool Abstained, int Cluster, double Reward, bool Trained);
