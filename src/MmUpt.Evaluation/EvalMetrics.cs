namespace MmUpt.Evaluation;

/// <summary>Means over problems: pass@1 (mean over samples, then problems), maj@K and pass@K (fractions of problems).</summary>
public sealed record EvalMetrics(string Name, int Problems, double Pass1, double MajK, double PassK, double AbstainRate)
{
    public static EvalMetrics Of(string name, IReadOnlyList<ProblemScore> scores)
    {
        if (scores.Count == 0) return new EvalMetrics(name, 0, 0, 0, 0, 0);
        var samples = scores.Sum(s => s.Samples);
        return new EvalMetrics(name, scores.Count,
            scores.Average(s => s.Pass1),
            scores.Average(s => s.MajorityCorrect ? 1.0 : 0.0),
            scores.Average(s => s.PassK ? 1.0 : 0.0),
            (double)scores.Sum(s => s.Abstained) / samples);
    }
}
