namespace MmUpt.Grading.Tests;

/// <summary>Hand-made responses for vote tests.</summary>
internal static class Groups
{
    public static string Boxed(string answer) => $"Reasoning step by step... so the final answer is \\boxed{{{answer}}}.";

    /// <summary>A response with no answer in it for either extractor (no box, no math, no number).</summary>
    public static string Unboxed(int i) => $"I am not sure, maybe the {(char)('a' + i)} case?";

    public static List<string> Of(params string[] boxedAnswers) => [.. boxedAnswers.Select(Boxed)];

    public static double[] Rewards(MmUpt.Grading.Voting.GroupVote vote) => [.. vote.Samples.Select(s => s.Reward)];
}
