namespace MmUpt.Cli.Demo;

/// <summary>
/// One UPT arm of the demo: the voting service's mode and settings (section <c>Voting</c>) and what the arm changes in
/// the recipe (configuration keys such as <c>Learner:Trainer:LearningRate</c> or <c>Guard:Action</c>). All arms start
/// from the same SFT weights and train on the same unlabelled prompts; only these differ.
/// </summary>
public sealed record DemoArm(string Name, string VoteMode, string Summary, IReadOnlyDictionary<string, string> Voting,
    IReadOnlyDictionary<string, string> Recipe)
{
    private static readonly Dictionary<string, string> None = [];

    /// <summary>The three arms, in the order they run and appear in the report.</summary>
    public static IReadOnlyList<DemoArm> All { get; } =
    [
        new("faithful", "faithful", "The original MM-UPT recipe: exact-string majority vote, reward = agreement", None, None),
        new("robust", "robust",
            "Equivalence-clustered vote, abstentions never win, reward only where at least half the group agrees; half the learning rate and 5x the KL anchor to the SFT weights",
            new Dictionary<string, string> { ["MinAgreement"] = "0.5" },
            new Dictionary<string, string> { ["Learner:Trainer:LearningRate"] = "5e-5", ["Learner:Trainer:Grpo:KlCoef"] = "0.05" }),
        new("control", "random", "Rewards from a random answer per group: what training on noise does", None, None),
    ];
}
