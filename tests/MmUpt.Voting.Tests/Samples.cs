using MmUpt.Contracts.V1;

namespace MmUpt.Voting.Tests;

internal static class Samples
{
    public static Sample Boxed(string group, uint index, uint size, string answer, uint attempt = 0, string? reference = null) =>
        Text(group, index, size, $"Thinking... the answer is \\boxed{{{answer}}}.", attempt, reference);

    public static Sample Text(string group, uint index, uint size, string text, uint attempt = 0, string? reference = null) => new()
    {
        GroupId = group,
        Attempt = attempt,
        Index = index,
        GroupSize = size,
        ResponseText = text,
        FinishReason = FinishReason.Stop,
        Prompt = new Prompt { PromptId = group, Text = "What is x?", ReferenceAnswer = reference ?? "" },
        ResponseTokenIds = { 1, 2, 3 },
        BehaviourLogprobs = { -0.1f, -0.2f, -0.3f },
    };

    public static Sample[] Group(string group, params string[] answers) =>
        [.. answers.Select((a, i) => Boxed(group, (uint)i, (uint)answers.Length, a))];

    public static float[] Rewards(ScoredGroup g) => [.. g.Samples.Select(s => s.Reward)];
}
