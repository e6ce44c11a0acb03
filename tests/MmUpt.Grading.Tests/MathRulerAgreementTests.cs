using MmUpt.Grading.Equivalence;
using Xunit.Abstractions;

namespace MmUpt.Grading.Tests;

/// <summary>
/// The faithful grader against MathRuler's own verdicts on the generated pair set. The accidents of MathRuler that we
/// do not copy are named here with the reason; every other disagreement counts against the 99% bar and is printed.
/// </summary>
public sealed class MathRulerAgreementTests(ITestOutputHelper output)
{
    private static readonly IReadOnlyList<MathRulerPair> Pairs = MathRulerPair.Load();

    /// <summary>MathRuler verdicts we deliberately do not reproduce, and why.</summary>
    public static string? Accident(MathRulerPair p)
    {
        var both = p.Candidate + " " + p.Reference;
        if (both.Contains(@"\sqrt[", StringComparison.Ordinal))
        {
            return @"pylatexenc drops the index of \sqrt[n]{x}, so MathRuler reads a cube root as a square root";
        }
        if (System.Text.RegularExpressions.Regex.IsMatch(both, @"(?<![\d.])\d{17,}(?![\d.])"))
        {
            return "MathRuler rounds integer strings through a double, so 17+ digit integers that differ compare equal";
        }
        if (System.Text.RegularExpressions.Regex.IsMatch(both, @"[A-Za-z](?:day|hour|mile|inch|second|minute|week|month|year|meter|foot|feet|yard|degree)", System.Text.RegularExpressions.RegexOptions.IgnoreCase))
        {
            return "MathRuler strips unit words inside other words (\"monday\" → \"mon\", \"smile\" → \"s\")";
        }
        return null;
    }

    [Fact]
    public void Faithful_grader_agrees_with_MathRuler_on_99_percent_of_the_generated_pairs()
    {
        Assert.True(Pairs.Count >= 5000, $"fixture has only {Pairs.Count} pairs");
        var grader = MathAnswerGrader.Faithful;
        var disagreements = Pairs.Where(p => grader.Equivalent(p.Candidate, p.Reference) != p.MathRuler).ToList();
        foreach (var family in Pairs.GroupBy(p => p.Family))
        {
            var wrong = disagreements.Count(d => d.Family == family.Key);
            output.WriteLine($"{family.Key,-12} {family.Count(),6} pairs  {100.0 * (family.Count() - wrong) / family.Count(),7:F2}% agree");
        }
        var agreement = 1.0 - (double)disagreements.Count / Pairs.Count;
        output.WriteLine($"overall      {Pairs.Count,6} pairs  {100 * agreement,7:F2}% agree ({disagreements.Count} disagreements)");
        foreach (var d in disagreements)
        {
            output.WriteLine($"  {d}  →  {Accident(d) ?? "unexplained"}");
        }
        Assert.True(agreement >= 0.99, $"agreement {agreement:P2} < 99%; {disagreements.Count(d => Accident(d) is null)} unexplained");
    }

    [Theory]
    [InlineData(@"\sqrt[3]{2}", @"\sqrt2")]
    [InlineData("monday", "mon")]
    [InlineData("smile", "s")]
    public void MathRuler_accidents_are_not_copied(string candidate, string reference)
    {
        var row = Pairs.Single(p => p.Candidate == candidate && p.Reference == reference);
        Assert.True(row.MathRuler, "the fixture should record MathRuler's accidental 'equal'");
        Assert.NotNull(Accident(row));
        Assert.False(MathAnswerGrader.Faithful.Equivalent(candidate, reference));
    }

    [Fact]
    public void Thirty_digit_integers_that_differ_in_the_last_digit_stay_different()
    {
        var rows = Pairs.Where(p => p.Family == "integers" && p.Candidate.Length >= 30 && p.Candidate != p.Reference).ToList();
        Assert.NotEmpty(rows);
        Assert.All(rows, row => Assert.True(row.MathRuler, "MathRuler compares them through doubles"));
        Assert.All(rows, row => Assert.False(MathAnswerGrader.Faithful.Equivalent(row.Candidate, row.Reference)));
    }
}
