namespace MmUpt.Evaluation;

/// <summary>
/// maj@K's vote, as evaluation defines it (the training vote lives in the voting service): answers are clustered by the
/// equivalence function (an answer joins the first cluster whose first member it is equivalent to, else opens one);
/// blank answers abstain; the largest cluster wins; ties go to the cluster whose first member came first in sample order
/// (the original's first-seen rule, applied to clusters). The winner is the cluster's first member.
/// </summary>
public static class MajorityVote
{
    public static VoteOutcome Vote(IReadOnlyList<string?> answers, Func<string, string, bool> equivalent)
    {
        var representatives = new List<string>();
        var counts = new List<int>();
        var abstained = 0;
        foreach (var answer in answers)
        {
            if (string.IsNullOrWhiteSpace(answer))
            {
                abstained++;
                continue;
            }
            var cluster = representatives.FindIndex(r => equivalent(answer, r));
            if (cluster < 0)
            {
                representatives.Add(answer);
                counts.Add(1);
            }
            else
            {
                counts[cluster]++;
            }
        }
        var best = -1;
        for (var i = 0; i < counts.Count; i++)
        {
            if (best < 0 || counts[i] > counts[best]) best = i; // strict '>' keeps the earliest cluster on ties
        }
        return best < 0
            ? new VoteOutcome(null, 0, 0, abstained)
            : new VoteOutcome(representatives[best], counts[best], counts.Count, abstained);
    }
}
