using MmUpt.Training.Loop;

namespace MmUpt.Cli.Demo;

/// <summary>One train run's files as read by <see cref="RunFiles"/>: the SFT run or a UPT arm.</summary>
public sealed record ArmRun(string Name, string Folder, RunSummary? Summary, IReadOnlyList<EvalRecord> Evals, IReadOnlyList<StepRecord> Steps)
{
    /// <summary>The collapse guard's dev-set measurements (<c>dev.jsonl</c>; none without a dev set).</summary>
    public IReadOnlyList<EvalRecord> Dev { get; init; } = [];

    /// <summary>The evaluation of the starting weights (stage <c>start</c>, else the earliest).</summary>
    public EvalRecord? Before => Evals.FirstOrDefault(e => e.Stage == "start") ?? Evals.MinBy(e => e.Step);

    /// <summary>The evaluation of the final weights (stage <c>final</c>, else the latest); null with fewer than two evaluations.</summary>
    public EvalRecord? After =>
        Evals.LastOrDefault(e => e.Stage == "final") ?? (Evals.Count > 1 ? Evals.MaxBy(e => e.Step) : null);

    /// <summary>Groups trained per steps.jsonl (each step's vote count).</summary>
    public long GroupsInSteps => Steps.Sum(s => (long)s.Votes.Groups);

    /// <summary>Duplicates the step loop detected and dropped, over all steps.</summary>
    public long Duplicates => Steps.Sum(s => (long)s.Duplicates);
}
