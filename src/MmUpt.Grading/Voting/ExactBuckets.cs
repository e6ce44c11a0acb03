using MmUpt.Grading.Extraction;

namespace MmUpt.Grading.Voting;

/// <summary>
/// A group's extracted answers bucketed by exact string, as MathRuler's <c>Counter</c> sees them (faithful and random
/// modes): a response with no answer reads as <see cref="FaithfulVoteAggregator.NoAnswer"/> and is marked abstained;
/// buckets are numbered in first-seen order.
/// </summary>
internal sealed record ExactBuckets(string[] Answers, bool[] Abstained, Dictionary<string, int> Index, List<string> Order, List<int> Counts)
{
    public static ExactBuckets Of(IAnswerExtractor extractor, IReadOnlyList<string> responses)
    {
        var n = responses.Count;
        var buckets = new ExactBuckets(new string[n], new bool[n], new Dictionary<string, int>(StringComparer.Ordinal), [], []);
        for (var i = 0; i < n; i++)
        {
            var extracted = extractor.Extract(responses[i]);
            var answer = buckets.Answers[i] = extracted.Text ?? FaithfulVoteAggregator.NoAnswer;
            buckets.Abstained[i] = !extracted.Found;
            if (!buckets.Index.TryGetValue(answer, out var b))
            {
                buckets.Index[answer] = b = buckets.Order.Count;
                buckets.Order.Add(answer);
                buckets.Counts.Add(0);
            }
            buckets.Counts[b]++;
        }
        return buckets;
    }
}
