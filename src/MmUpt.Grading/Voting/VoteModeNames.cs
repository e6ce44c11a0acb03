namespace MmUpt.Grading.Voting;

/// <summary>
/// The one mapping between <see cref="VoteMode"/> and its user-facing names (<c>--mode</c>, <c>Voting:Mode</c>, JSON
/// output). The gRPC enum <c>mmupt.v1.VoteMode</c> spells the same names as <c>VOTE_MODE_&lt;NAME&gt;</c>; its mapping
/// (<c>MmUpt.Voting.VoteModeContract</c>) is checked against this table by a test.
/// </summary>
public static class VoteModeNames
{
    private static readonly (VoteMode Mode, string Name)[] Table = 
    [
        (VoteMode.Faithful, "faithful"), (VoteMode.Robust, "robust"), (VoteMode.Random, "random"),
    ];

    /// <summary>Every name, in declaration order: <c>faithful</c>, <c>robust</c>, <c>random</c>.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Table.Select(t => t.Name)];

    /// <summary>Every mode, in declaration order.</summary>
    public static IReadOnlyList<VoteMode> Modes { get; } = [.. Table.Select(t => t.Mode)];

    /// <summary>Allowed values for messages: <c>'faithful' or 'robust' or 'random'</c>.</summary>
    public static string Choices { get; } = string.Join(" or ", All.Select(n => $"'{n}'"));

    public static string Name(VoteMode mode) =>
        Table.FirstOrDefault(t => t.Mode == mode).Name ?? throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown vote mode");

    /// <summary>The mode of a name (exact, lower case as documented); false for anything else.</summary>
    public static bool TryParse(string? name, out VoteMode mode)
    {
        foreach (var t in Table)
        {
            if (string.Equals(t.Name, name, StringComparison.Ordinal))
            {
                mode = t.Mode;
                return true;
            }
        }
        mode = default;
        return false;
    }

    /// <summary>The mode of a name, or <see cref="ArgumentException"/> listing the allowed names.</summary>
    public static VoteMode Parse(string? name) =>
        TryParse(name, out var mode) ? mode : throw new ArgumentException($"mode must be {Choices}, got '{name}'", nameof(name));
}
