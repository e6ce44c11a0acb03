using MmUpt.Grading.Equivalence;
using MmUpt.Grading.Extraction;

namespace MmUpt.Grading.Voting;

/// <summary>
/// The original MM-UPT reward (FunctionRewardManager, notes/mmupt-method.md §1), exactly:
/// <code>
///   a_i = extract_boxed_content(response_i)          // "None" when no complete \boxed{}
///   y*  = Counter(a).most_common(1)                  // exact strings; ties → first seen in sample order
///   r_i = 1 if grade_answer(a_i, y*) else 0          // equivalence to the winner, not string equality
/// </code>
/// Known edge cases, kept on purpose: unboxed responses vote as one "None" bloc, and when "None" wins every unboxed
/// response (and any boxed "none") gets 1; with all answers distinct sample 0 wins; a majority split across spellings
/// ("\frac12", "0.5", "1/2") can lose to a smaller bloc of one spelling. Option letters are not matched.
/// </summary>
public sealed class FaithfulVoteAggregator(VoteOptions options) : IVoteAggregator
{
    public const string NoAnswer = "None";

    private readonly IAnswerExtractor _extractor = AnswerExtractors.Create(options.Extraction);
    private readonly IAnswerGrader _grader = new MathAnswerGrader(options.Grader);

    public VoteMode Mode => VoteMode.Faithful;

    public GroupVote Vote(VoteInput input)
    {
        var n = input.Responses.Count;
        var (answers, abstained, buckets, order, counts) = ExactBuckets.Of(_extractor, input.Responses);
        if (n == 0)
        {
            return new GroupVote { Mode = Mode, Samples = [] };
        }
        // most_common(1): the first bucket (in first-seen order) with the highest count.
        var winner = 0;
        for (var b = 1; b < counts.Count; b++)
        {
            winner = counts[b] > counts[winner] ? b : winner;
        }
        var majority = _grader.Prepare(order[winner]);
        var prepared = order.Select(_grader.Prepare).ToArray();
        var bucketReward = prepared.Select(p => _grader.Equivalent(p, majority) ? 1.0 : 0.0).ToArray();
        var samples = new SampleVote[n];
        for (var i = 0; i < n; i++)
        {
            var b = buckets[answers[i]];
            samples[i] = new SampleVote(i, answers[i], abstained[i] ? null : prepared[b].Key, abstained[i], b,
                bucketReward[b], VoteMath.Trained(i, options.TrainCount));
        }
        var perSample = samples.Select(s => (PreparedAnswer?)prepared[s.Cluster]).ToArray();
        var (majorityCorrect, correct) = VoteMath.AgainstReference(_grader, input.Reference, order[winner], perSample, null);
        return new GroupVote
        {
            Mode = Mode,
            Samples = samples,
            MajorityAnswer = order[winner],
            MajorityKey = majority.Key,
            MajorityVotes = counts[winner],
            MajorityRatio = (double)counts[winner] / n,
            AnswerEntropy = VoteMath.Entropy(counts, n),
            AbstainRate = (double)abstained.Count(a => a) / n,
            Unanimous = samples.All(s => s.Reward == 1.0),
            Clusters = counts.Count,
            MajorityCorrect = majorityCorrect,
            CorrectSamples = correct,
        };
    }
}
