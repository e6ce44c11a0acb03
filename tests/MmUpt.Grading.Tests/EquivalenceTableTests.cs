using MmUpt.Grading.Equivalence;

namespace MmUpt.Grading.Tests;

public sealed class EquivalenceTableTests
{
    public static TheoryData<EquivalenceCase> Rows()
    {
        var data = new TheoryData<EquivalenceCase>();
        foreach (var c in EquivalenceTable.Cases)
        {
            data.Add(c);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Faithful_grader_matches_the_table(EquivalenceCase row) =>
        Assert.Equal(row.Faithful, MathAnswerGrader.Faithful.Equivalent(row.Candidate, row.Reference, Choices(row)));

    [Theory]
    [MemberData(nameof(Rows))]
    public void Robust_grader_matches_the_table(EquivalenceCase row) =>
        Assert.Equal(row.Robust, MathAnswerGrader.Robust.Equivalent(row.Candidate, row.Reference, Choices(row)));

    [Fact]
    public void Table_has_at_least_150_rows_with_both_verdicts_across_all_forms()
    {
        var rows = EquivalenceTable.Cases;
        Assert.True(rows.Count >= 150, $"only {rows.Count} rows");
        Assert.Contains(rows, r => r.Faithful);
        Assert.Contains(rows, r => !r.Faithful);
        string[] forms = ["frac", "decimal", "percent", "thousands", "tuple", "interval", "units", "degrees", "dollars",
            "equation", "sqrt", "pi", "algebra", "choice"];
        foreach (var form in forms)
        {
            Assert.Contains(rows, r => r.Form == form && r.Robust);
            Assert.Contains(rows, r => r.Form == form && !r.Robust);
        }
    }

    private static ChoiceSet? Choices(EquivalenceCase row) => row.Choices is null ? null : new ChoiceSet(row.Choices);
}
