using System.Security.Cryptography;
using System.Text;
using MmUpt.Grading.Equivalence;
using MmUpt.Grading.Extraction;

namespace MmUpt.Grading.Voting;

/// <summary>
/// The control arm's reward: a label drawn at random instead of voted, graded as the faithful mode grades.
/// <code>
///   a_i = extract_boxed_content(response_i), or abstain       // MathRuler's extractor, as faithful
///   y*  = a_j, j uniform over the samples with an answer, j = SHA-256(group id) mod |answered|
///   r_i = 1 if a_i answered and grade_answer(a_i, y*) else 0    // abstentions get 0; no answer at all: every r_i = 0
/// </code>
/// The draw is a hash of the group id, not a random generator, so a redelivered or replayed group scores identically in
/// every process; without a group id (offline votes) the hash is taken over the responses. Drawing a sample (not a
/// distinct answer) makes P(y* = answer) its share of the answered samples: the label agrees with the policy's answer
/// distribution on average but carries no information about which answer is right, which is what a control needs.
/// The "majority" fields of the vote describe this label: <see cref="GroupVote.MajorityVotes"/> counts the samples
/// rewarded for agreeing with it.
/// </summary>
public sealed class RandomVoteAggregator(VoteOptions options) : IVoteAggregator
{
    private readonly IAnswerExtractor _extractor = AnswerExtractors.Create(options.Extraction);
    private readonly IAnswerGrader _grader = new MathAnswerGrader(options.Grader);

    public VoteMode Mode => VoteMode.Random;

    public GroupVote Vote(VoteInput input)
    {
        var n = input.Responses.Count;
        var (answers, abstained, buckets, _, counts) = ExactBuckets.Of(_extractor, input.Responses);
        var answered = Enumerable.Range(0, n).Where(i => !abstained[i]).ToList();
        var prepared = answers.Select((a, i) => abstained[i] ? null : _grader.Prepare(a)).ToArray();
        PreparedAnswer? label = answered.Count == 0 ? null : prepared[answered[Draw(input, answered.Count)]];
        var samples = new SampleVote[n];
        for (var i = 0; i < n; i++)
        {
            var reward = label is not null && prepared[i] is { } a && _grader.Equivalent(a, label) ? 1.0 : 0.0;
            samples[i] = new SampleVote(i, answers[i], prepared[i]?.Key, abstained[i], buckets[answers[i]], reward,
                VoteMath.Trained(i, options.TrainCount));
        }
        var agree = samples.Count(s => s.Reward == 1.0);
        var (majorityCorrect, correct) = VoteMath.AgainstReference(_grader, input.Reference, label?.Raw, prepared, null);
        return new GroupVote
        {
            Mode = Mode,
            Samples = samples,
            MajorityAnswer = label?.Raw,
            MajorityKey = label?.Key,
            MajorityVotes = agree,
            MajorityRatio = n == 0 ? 0 : (double)agree / n,
            AnswerEntropy = n == 0 ? 0 : VoteMath.Entropy(counts, n),
            AbstainRate = n == 0 ? 0 : (double)abstained.Count(a => a) / n,
            Unanimous = n > 0 && agree == n,
            Clusters = answered.Select(i => answers[i]).Distinct(StringComparer.Ordinal).Count(),
            MajorityCorrect = majorityCorrect,
            CorrectSamples = correct,
        };
    }

    /// <summary>The drawn position among <paramref name="count"/> answered samples: the first 8 bytes of a SHA-256, mod count.</summary>
    public static int Draw(VoteInput input, int count)
    {
        var seed = input.GroupId ?? string.Join('\0', input.Responses);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(seed));
        return (int)(BitConverter.ToUInt64(hash, 0) % (ulong)count);
    }
}
