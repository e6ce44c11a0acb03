using GradingVoteMode = MmUpt.Grading.Voting.VoteMode;
using ProtoVoteMode = MmUpt.Contracts.V1.VoteMode;

namespace MmUpt.Voting;

/// <summary>
/// The mapping between the gRPC enum <c>mmupt.v1.VoteMode</c> and <see cref="GradingVoteMode"/>. The user-facing names
/// live in <see cref="Grading.Voting.VoteModeNames"/>; a test checks every mode maps to <c>VOTE_MODE_&lt;NAME&gt;</c>.
/// </summary>
public static class VoteModeContract
{
    public static ProtoVoteMode ToProto(GradingVoteMode mode) => mode switch
    {
        GradingVoteMode.Faithful => ProtoVoteMode.Faithful,
        GradingVoteMode.Robust => ProtoVoteMode.Robust,
        GradingVoteMode.Random => ProtoVoteMode.Random,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown vote mode"),
    };

    /// <summary>The mode of a proto value; <see cref="ProtoVoteMode.Unspecified"/> and unknown values throw.</summary>
    public static GradingVoteMode FromProto(ProtoVoteMode mode) => mode switch
    {
        ProtoVoteMode.Faithful => GradingVoteMode.Faithful,
        ProtoVoteMode.Robust => GradingVoteMode.Robust,
        ProtoVoteMode.Random => GradingVoteMode.Random,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "VOTE_MODE_UNSPECIFIED or unknown vote mode"),
    };
}
