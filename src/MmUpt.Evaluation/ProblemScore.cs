namespace MmUpt.Evaluation;

/// <summary>One problem's scores: correct samples out of K, the vote and whether it is right, abstaining samples.</summary>
public sealed record ProblemScore(string Id, string? Group, string Reference, int Samples, int Correct,
    string? MajorityAnswer, int MajorityVotes, bool MajorityCorrect, int Abstained)
{
    public double Pass1 => PassAtK.Estimate(Samples, Correct, 1);

    public bool PassK => PassAtK.Estimate(Samples, Correct, Samples) == 1.0;
}
