using MmUpt.Grading.Voting;

namespace MmUpt.Evaluation;

/// <summary>
/// Scores K responses per problem against references through the training vote (<see cref="GroupVoter"/> with the
/// caller's <see cref="VoteOptions"/>, the same options the voting service is configured with):
/// <code>
///   c        = samples whose extracted answer is equivalent to the reference (the mode's extractor and grader)
///   pass@1   = mean over problems of PassAtK(K, c, 1) = c / K
///   maj@K    = fraction of problems whose vote's majority is equivalent to the reference (the vote's MajorityCorrect)
///   pass@K   = mean over problems of PassAtK(K, c, K) = [c &gt; 0]
/// </code>
/// A group with no winner (robust: all abstained, a tie under <c>none</c>, agreement below the minimum) counts as wrong
/// for maj@K, as it gives no reward in training. Problems without a reference are counted in
/// <see cref="EvalReport.Unlabelled"/>.
/// </summary>
public static class EvalScorer
{
    public static EvalReport Score(IReadOnlyList<EvalItem> items, VoteOptions options)
    {
        var voter = new GroupVoter(options);
        var labelled = items.Where(i => !string.IsNullOrEmpty(i.Reference)).ToList();
        var k = labelled.Count == 0 ? 0 : labelled[0].Responses.Count;
        if (k == 0 && labelled.Count > 0)
        {
            throw new ArgumentException($"problem {labelled[0].Id} has no responses");
        }
        var odd = labelled.FirstOrDefault(i => i.Responses.Count != k);
        if (odd is not null)
        {
            throw new ArgumentException($"problem {odd.Id} has {odd.Responses.Count} responses, the first has {k}: K must be equal for all");
        }
        var scores = new List<ProblemScore>(labelled.Count);
        foreach (var item in labelled)
        {
            var vote = voter.Vote(item.Responses, item.PromptText, item.Reference);
            scores.Add(new ProblemScore(item.Id, item.Group, item.Reference!, k, vote.CorrectSamples ?? 0, vote.MajorityAnswer,
                vote.MajorityVotes, vote.MajorityCorrect == true, vote.Samples.Count(s => s.Abstained)));
        }
        var groups = scores.Where(s => s.Group is not null).GroupBy(s => s.Group!).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => EvalMetrics.Of(g.Key, g.ToList()))
            .ToList();
        return new EvalReport(k, VoteModeNames.Name(options.Mode), EvalMetrics.Of("all", scores), groups, scores, items.Count - labelled.Count);
    }
}
