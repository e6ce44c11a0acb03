using MmUpt.Grading.Equivalence;
using MmUpt.Grading.Extraction;

namespace MmUpt.Grading.Voting;

/// <summary>
/// The robust vote (a deliberate departure from the original, notes/mmupt-method.md §7.2):
/// <code>
///   a_i = robust extraction of response_i, or abstain       // \boxed or \fbox, escaped braces, last complete box
///   clusters: a_i joins the first cluster whose first member is equivalent to it (either direction), else a new one
///   y*  = the largest cluster; ties by TieBreak; abstentions are never a cluster, so never the label
///   r_i = 1 if a_i is in y*'s cluster else 0                // abstentions get 0
///   if |y*| / G &lt; MinAgreement, or no winner: r_i = 0 for all (zero advantage)
/// </code>
/// Only the first M samples are trained (<see cref="VoteOptions.TrainCount"/>); all G vote. Multiple-choice letters
/// match option texts when the input carries a <see cref="ChoiceSet"/>.
/// </summary>
public sealed class RobustVoteAggregator(VoteOptions options) : IVoteAggregator
{
    private readonly IAnswerExtractor _extractor = AnswerExtractors.Create(options.Extraction);
    private readonly IAnswerGrader _grader = new MathAnswerGrader(options.Grader);

    public VoteMode Mode => VoteMode.Robust;

    public GroupVote Vote(VoteInput input)
    {
        var n = input.Responses.Count;
        var answers = new PreparedAnswer?[n];
        var sampleCluster = new int[n];
        var clusters = new List<Cluster>();
        var byKey = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            var text = _extractor.Extract(input.Responses[i]).Text;
            if (text is null)
            {
                sampleCluster[i] = -1;
                continue;
            }
            var a = answers[i] = _grader.Prepare(text);
            if (!byKey.TryGetValue(a.Key, out var c))
            {
                c = clusters.FindIndex(k => _grader.EquivalentEitherWay(a, k.First, input.Choices));
                if (c < 0)
                {
                    c = clusters.Count;
                    clusters.Add(new Cluster(a));
                }
                byKey[a.Key] = c;
            }
            clusters[c].Votes++;
            sampleCluster[i] = c;
        }
        var winner = Winner(clusters);
        var abstentions = sampleCluster.Count(c => c < 0);
        var ratio = winner < 0 || n == 0 ? 0 : (double)clusters[winner].Votes / n;
        var below = winner >= 0 && ratio < options.MinAgreement;
        var label = below ? -1 : winner;
        var samples = new SampleVote[n];
        for (var i = 0; i < n; i++)
        {
            var a = answers[i];
            samples[i] = new SampleVote(i, a?.Raw ?? "", a?.Key, a is null, sampleCluster[i],
                label >= 0 && sampleCluster[i] == label ? 1.0 : 0.0, VoteMath.Trained(i, options.TrainCount));
        }
        var majority = label >= 0 ? clusters[label].First : null;
        var (majorityCorrect, correct) = VoteMath.AgainstReference(_grader, input.Reference, majority?.Raw, answers, input.Choices);
        return new GroupVote
        {
            Mode = Mode,
            Samples = samples,
            MajorityAnswer = majority?.Raw,
            MajorityKey = majority?.Key,
            MajorityVotes = label >= 0 ? clusters[label].Votes : 0,
            MajorityRatio = label >= 0 ? ratio : 0,
            AnswerEntropy = n == 0 ? 0 : VoteMath.Entropy(clusters.Select(c => c.Votes).Append(abstentions), n),
            AbstainRate = n == 0 ? 0 : (double)abstentions / n,
            Unanimous = n > 0 && samples.All(s => s.Reward == 1.0),
            BelowMinAgreement = below,
            Clusters = clusters.Count,
            MajorityCorrect = majorityCorrect,
            CorrectSamples = correct,
        };
    }

    private int Winner(List<Cluster> clusters)
    {
        var best = -1;
        var tied = false;
        for (var c = 0; c < clusters.Count; c++)
        {
            if (best < 0 || clusters[c].Votes > clusters[best].Votes)
            {
                (best, tied) = (c, false);
            }
            else if (clusters[c].Votes == clusters[best].Votes)
            {
                tied = true;
                if (options.TieBreak == TieBreak.SmallestAnswer && string.CompareOrdinal(clusters[c].First.Key, clusters[best].First.Key) < 0)
                {
                    best = c;
                }
            }
        }
        return tied && options.TieBreak == TieBreak.NoWinner ? -1 : best;
    }

    private sealed class Cluster(PreparedAnswer first)
    {
        public PreparedAnswer First { get; } = first;

        public int Votes { get; set; }
    }
}
