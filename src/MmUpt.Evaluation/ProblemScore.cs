namespace MmUpt.Evaluation;

/// <summary>One problem's scores: correct samples out of K, the vote and whether it is right, blank answers.</summary>
public sealed record ProblemScore(string Id, string? Group, string Reference, int Samples, int Correct,
    string? MajorityAnswer, int MajorityVotes, bool MajorityCorrect, int Abstained)
{
    public double Pass1 => (double)Correct / Samples;

    public bool PassK => Correct > 0;
}
