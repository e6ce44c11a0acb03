namespace MmUpt.Evaluation;

/// <summary>
/// Scores K extracted answers per problem against references with a caller-given equivalence
/// (<c>equivalent(answer, reference)</c>, e.g. the voting service's grader):
/// pass@1 = mean over problems of (correct samples / K); maj@K = fraction of problems whose <see cref="MajorityVote"/>
/// winner is equivalent to the reference; pass@K = fraction with at least one correct sample. Problems without a
/// reference are not scored and are counted in <see cref="EvalReport.Unlabelled"/>.
/// </summary>
public static class EvalScorer
{
    public static EvalReport Score(IReadOnlyList<EvalItem> items, Func<string, string, bool> equivalent)
    {
        var labelled = items.Where(i => i.Reference is not null).ToList();
        var k = labelled.Count == 0 ? 0 : labelled[0].Answers.Count;
        if (k == 0 && labelled.Count > 0)
        {
            throw new ArgumentException($"problem {labelled[0].Id} has no answers");
        }
        var odd = labelled.FirstOrDefault(i => i.Answers.Count != k);
        if (odd is not null)
        {
            throw new ArgumentException($"problem {odd.Id} has {odd.Answers.Count} answers, the first has {k}: K must be equal for all");
        }
        var scores = new List<ProblemScore>(labelled.Count);
        foreach (var item in labelled)
        {
            var reference = item.Reference!;
            var correct = item.Answers.Count(a => !string.IsNullOrWhiteSpace(a) && equivalent(a, reference));
            var vote = MajorityVote.Vote(item.Answers, equivalent);
            var majorityCorrect = vote.Answer is not null && equivalent(vote.Answer, reference);
            scores.Add(new ProblemScore(item.Id, item.Group, reference, k, correct, vote.Answer, vote.Votes, majorityCorrect, vote.Abstained));
        }
        var groups = scores.Where(s => s.Group is not null).GroupBy(s => s.Group!).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => EvalMetrics.Of(g.Key, g.ToList()))
            .ToList();
        var overall = EvalMetrics.Of("all", scores);
        return new EvalReport(k, overall, groups, scores, items.Count - labelled.Count);
    }
}
