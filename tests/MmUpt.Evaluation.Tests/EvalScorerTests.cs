using MmUpt.Evaluation;
namespace MmUpt.Evaluation.Tests;

public sealed class EvalScorerTests
{
    // A stand-in grader: trims, lower-cases and reads numbers, so "12.0" ≡ "12". The real one comes from MmUpt.Grading.
    private static bool Same(string answer, string reference)
    {
        string Norm(string s) => double.TryParse(s.Trim(), System.Globalization.CultureInfo.InvariantCulture, out var d)
            ? d.ToString(System.Globalization.CultureInfo.InvariantCulture) : s.Trim().ToLowerInvariant();
        return Norm(answer) == Norm(reference);
    }

    private static readonly EvalItem[] Items =
    [
        new("p1", "3", ["3", "3", "4", "3"], "count"),          // 3/4 right, vote 3 (3 votes) right
        new("p2", "left", ["right", "left", "right", "left"], "compare"), // 2/4, tie 2–2: first seen "right" wins, wrong
        new("p3", "7", [null, "8", "", "9"], "count"),           // 0/4, two blanks abstain, tie 8–9 → "8", wrong
        new("p4", "12", ["12.0", "12", "5", "5"], "add"),        // 2/4, cluster {12.0, 12} ties {5, 5}, first seen wins, right
        new("p5", null, ["1", "1", "1", "1"], "add"),            // unlabelled: not scored
    ];

    [Fact]
    public void Hand_checked_pass1_majk_passk()
    {
        var report = EvalScorer.Score(Items, Same);

        Assert.Equal(4, report.SamplesPerProblem);
        Assert.Equal(1, report.Unlabelled);
        Assert.Equal(4, report.Overall.Problems);
        Assert.Equal((0.75 + 0.5 + 0 + 0.5) / 4, report.Overall.Pass1, 12);
        Assert.Equal(2 / 4.0, report.Overall.MajK, 12);
        Assert.Equal(3 / 4.0, report.Overall.PassK, 12);
        Assert.Equal(2 / 16.0, report.Overall.AbstainRate, 12);
        Assert.Equal(["12.0", "right", "8"], new[] { "p4", "p2", "p3" }.Select(id => report.Problems.Single(p => p.Id == id).MajorityAnswer));
        var count = report.Groups.Single(g => g.Name == "count");
        Assert.Equal((2, 0.375, 0.5, 0.5), (count.Problems, count.Pass1, count.MajK, count.PassK));
    }

    [Fact]
    public void Markdown_table_and_json()
    {
        var report = EvalScorer.Score(Items, Same);

        Assert.Equal(
            "| set | problems | pass@1 | maj@4 | pass@4 | no answer |\n" +
            "|---|---:|---:|---:|---:|---:|\n" +
            "| all | 4 | 0.4375 | 0.5000 | 0.7500 | 0.1250 |\n" +
            "| add | 1 | 0.5000 | 1.0000 | 1.0000 | 0.0000 |\n" +
            "| compare | 1 | 0.5000 | 0.0000 | 1.0000 | 0.0000 |\n" +
            "| count | 2 | 0.3750 | 0.5000 | 0.5000 | 0.2500 |\n" +
            "\n1 problem(s) without a reference were not scored.\n",
            report.ToMarkdown().Replace("\r\n", "\n"));
        using var json = System.Text.Json.JsonDocument.Parse(report.ToJson());
        Assert.Equal(0.4375, json.RootElement.GetProperty("overall").GetProperty("pass1").GetDouble());
        Assert.Equal(4, json.RootElement.GetProperty("problems").GetArrayLength());
    }

    [Fact]
    public void Majority_vote_ties_go_to_the_first_seen_cluster_and_blanks_abstain()
    {
        Assert.Equal(new VoteOutcome("b", 2, 2, 0), MajorityVote.Vote(["b", "a", "a", "b"], Same));
        Assert.Equal(new VoteOutcome("a", 2, 2, 1), MajorityVote.Vote(["a", " ", "b", "a"], Same));
        Assert.Equal(new VoteOutcome(null, 0, 0, 3), MajorityVote.Vote([null, "", "  "], Same));
    }

    [Fact]
    public void Unequal_k_is_refused_naming_the_problem()
    {
        var ex = Assert.Throws<ArgumentException>(() => EvalScorer.Score([new("a", "1", ["1", "2"]), new("b", "1", ["1"])], Same));

        Assert.Contains("problem b has 1 answers, the first has 2", ex.Message);
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
