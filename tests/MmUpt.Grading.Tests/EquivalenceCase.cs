namespace MmUpt.Grading.Tests;

/// <summary>One row of the equivalence table: the verdict of the faithful (PRM800K-strict) and the robust grader.</summary>
public sealed record EquivalenceCase(string Form, string Candidate, string Reference, bool Faithful, bool Robust, string[]? Choices = null)
{
    public override string ToString() => $"{Form}: '{Candidate}' vs '{Reference}'";
}
