using MmUpt.Grading.Voting;

namespace MmUpt.Evaluation.Tests;

public sealed class EvalScorerTests
{
    private static string B(string answer) => $"Reasoning... so the answer is \\boxed{{{answer}}}.";

    private static readonly EvalItem[] Items =
    [
        new("p1", "3", [B("3"), B("3"), B("4"), B("3")], "count"),                // 3/4 right, vote 3 right
        new("p2", "left", [B("right"), B("left"), B("right"), B("left")], "compare"), // 2/4, tie 2–2 (mode decides)
        new("p3", "7", ["no box here", B("8"), "", B("8")], "count"),              // 0/4, two abstain, vote 8 wrong
        new("p4", "12", [B("12"), B("12"), B("5"), B("6")], "add"),               // 2/4, vote 12 right
        new("p5", null, [B("1"), B("1"), B("1"), B("1")], "add"),                  // unlabelled: not scored
    ];

    [Fact]
    public void Hand_checked_pass1_majk_passk_in_the_robust_mode()
    {
        var report = EvalScorer.Score(Items, VoteOptions.Robust);

        Assert.Equal(4, report.SamplesPerProblem);
        Assert.Equal("robust", report.Mode);
        Assert.Equal(1, report.Unlabelled);
        Assert.Equal(4, report.Overall.Problems);
        Assert.Equal((0.75 + 0.5 + 0 + 0.5) / 4, report.Overall.Pass1, 12);
        // The robust tie-break takes the ordinally smallest answer: "left" wins p2.
        Assert.Equal(3 / 4.0, report.Overall.MajK, 12);
        Assert.Equal(3 / 4.0, report.Overall.PassK, 12);
        Assert.Equal(2 / 16.0, report.Overall.AbstainRate, 12);
        Assert.Equal(["left", "8", "12"], new[] { "p2", "p3", "p4" }.Select(id => report.Problems.Single(p => p.Id == id).MajorityAnswer));
        var count = report.Groups.Single(g => g.Name == "count");
        Assert.Equal((2, 0.375, 0.5, 0.5), (count.Problems, count.Pass1, count.MajK, count.PassK));
    }

    [Fact]
    public void The_faithful_mode_votes_as_the_original_first_seen_wins_ties()
    {
        var report = EvalScorer.Score(Items, VoteOptions.Faithful);
        Assert.Equal("right", report.Problems.Single(p => p.Id == "p2").MajorityAnswer);
        Assert.Equal(2 / 4.0, report.Overall.MajK, 12);
    }

    [Fact]
    public void Markdown_table_and_json()
    {
        var report = EvalScorer.Score(Items, VoteOptions.Robust);

        Assert.Equal(
            "| set | problems | pass@1 | maj@4 | pass@4 | no answer |\n" +
            "|---|---:|---:|---:|---:|---:|\n" +
            "| all | 4 | 0.4375 | 0.7500 | 0.7500 | 0.1250 |\n" +
            "| add | 1 | 0.5000 | 1.0000 | 1.0000 | 0.0000 |\n" +
            "| compare | 1 | 0.5000 | 1.0000 | 1.0000 | 0.0000 |\n" +
            "| count | 2 | 0.3750 | 0.5000 | 0.5000 | 0.2500 |\n" +
            "\nmaj@4 voted in the robust mode, as the voting service votes.\n" +
            "\n1 problem(s) without a reference were not scored.\n",
            report.ToMarkdown().Replace("\r\n", "\n"));
        using var json = System.Text.Json.JsonDocument.Parse(report.ToJson());
        Assert.Equal(0.4375, json.RootElement.GetProperty("overall").GetProperty("pass1").GetDouble());
        Assert.Equal(4, json.RootElement.GetProperty("problems").GetArrayLength());
    }

    [Fact]
    public void Unequal_k_is_refused_naming_the_problem()
    {
        var ex = Assert.Throws<ArgumentException>(() => EvalScorer.Score([new("a", "1", [B("1"), B("2")]), new("b", "1", [B("1")])], VoteOptions.Robust));

        Assert.Contains("problem b has 1 responses, the first has 2", ex.Message);
    }

    [Theory]
    [InlineData(4, 2, 2, 1 - 1 / 6.0)]      // 1 − C(2,2)/C(4,2)
    [InlineData(5, 1, 1, 0.2)]               // c/n
    [InlineData(10, 3, 5, 1 - 21 / 252.0)]   // 1 − C(7,5)/C(10,5)
    [InlineData(8, 0, 8, 0.0)]
    [InlineData(8, 4, 5, 1.0)]               // fewer than k wrong samples
    public void Unbiased_pass_at_k(int n, int c, int k, double expected)
    {
        Assert.Equal(expected, PassAtK.Estimate(n, c, k), 12);
    }
}
