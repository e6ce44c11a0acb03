namespace MmUpt.Training.Loop;

/// <summary>
/// <c>OUT/run.json</c>, written when a <c>mmupt train</c> run ends (completed, stopped by the collapse guard, or
/// failed): what the report and <c>mmupt demo</c> read to tell how the run ended without parsing logs.
/// </summary>
/// <param name="Status"><c>completed</c>, <c>guard-stopped</c>, <c>cancelled</c> or <c>failed</c>.</param>
/// <param name="Reason">Why it stopped early (the guard's reason or the error); empty when completed.</param>
/// <param name="Steps">Learner steps done over the whole recipe.</param>
/// <param name="GroupsTrained">Scored groups trained on (UPT stages), each exactly once.</param>
/// <param name="FinalVersion">The weights version of <c>OUT/final</c>. A rollback publishes the restored weights under a new
/// number (replicas only move forward), so after one this is that new number and <paramref name="RolledBackTo"/> names the
/// version whose weights it holds.</param>
/// <param name="RolledBackTo">The version the guard restored, or null.</param>
/// <param name="Final">The HF folder of the final weights (<c>OUT/final</c>).</param>
/// <param name="Seconds">Wall time of the run.</param>
public sealed record RunSummary(
    string Status,
    string Reason,
    long Steps,
    long GroupsTrained,
    ulong FinalVersion,
    ulong? RolledBackTo,
    string Final,
    double Seconds);
