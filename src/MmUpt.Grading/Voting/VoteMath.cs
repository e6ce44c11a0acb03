using MmUpt.Grading.Equivalence;

namespace MmUpt.Grading.Voting;

/// <summary>Shared arithmetic of both vote modes.</summary>
internal static class VoteMath
{
    /// <summary>−Σ p log p over bucket counts, p = count / total (nats).</summary>
    public static double Entropy(IEnumerable<int> counts, int total)
    {
        var h = 0.0;
        foreach (var c in counts)
        {
            if (c > 0)
            {
                var p = (double)c / total;
                h -= p * Math.Log(p);
            }
        }
        return h;
    }

    public static bool Trained(int index, int trainCount) => trainCount == 0 || index < trainCount;

    /// <summary>Whether the majority matches the reference, and how many samples do (abstentions count as wrong).</summary>
    public static (bool? MajorityCorrect, int? CorrectSamples) AgainstReference(
        IAnswerGrader grader, string? reference, string? majority, IReadOnlyList<PreparedAnswer?> answers, ChoiceSet? choices)
    {
        if (reference is null)
        {
            return (null, null);
        }
        var truth = grader.Prepare(reference);
        var correct = 0;
        var verdicts = new Dictionary<PreparedAnswer, bool>(ReferenceEqualityComparer.Instance);
        foreach (var a in answers)
        {
            if (a is null)
            {
                continue;
            }
            if (!verdicts.TryGetValue(a, out var ok))
            {
                verdicts[a] = ok = grader.Equivalent(a, truth, choices);
            }
            correct += ok ? 1 : 0;
        }
        var majorityCorrect = majority is not null && grader.Equivalent(grader.Prepare(majority), truth, choices);
        return (majorityCorrect, correct);
    }
}
