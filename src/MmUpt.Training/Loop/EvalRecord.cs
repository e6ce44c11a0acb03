namespace MmUpt.Training.Loop;

/// <summary>
/// One line of <c>OUT/evals.jsonl</c>: the held-out accuracy of the weights after <see cref="Step"/> (0 = the run's
/// starting weights), measured as the paper measures (one sample at temperature 0.2) and three more ways: pass@1 and
/// maj@K over K samples at the rollout temperature, and greedy accuracy. <see cref="TopAnswerShare"/> is the label-free
/// collapse signal on the held-out set: the share of problems whose majority answer is the most common one.
/// </summary>
/// <param name="Stage">The recipe stage it was measured in (e.g. <c>1-upt</c>), or <c>start</c> / <c>final</c>.</param>
/// <param name="Step">Learner steps done when measured (global over the recipe).</param>
/// <param name="WeightsVersion">The weights version measured (0 = the starting checkpoint).</param>
/// <param name="Problems">Held-out problems evaluated.</param>
/// <param name="Samples">K, samples per problem at <see cref="Temperature"/>.</param>
/// <param name="Temperature">The rollout temperature of <see cref="Pass1"/> and <see cref="MajK"/>.</param>
/// <param name="Acc02">Accuracy of one sample per problem at temperature 0.2 (the paper's protocol).</param>
/// <param name="Pass1">Mean accuracy over the K samples.</param>
/// <param name="MajK">Accuracy of the majority answer of the K samples (voted as the voting service votes).</param>
/// <param name="PassK">Share of problems with at least one correct sample.</param>
/// <param name="Greedy">Accuracy of the greedy answer.</param>
/// <param name="TopAnswerShare">Share of problems whose majority answer is the most common majority answer.</param>
/// <param name="AbstainRate">Share of samples with no extractable answer.</param>
/// <param name="Seconds">Wall time of the measurement.</param>
public sealed record EvalRecord(
    string Stage,
    long Step,
    ulong WeightsVersion,
    int Problems,
    int Samples,
    double Temperature,
    double Acc02,
    double Pass1,
    double MajK,
    double PassK,
    double Greedy,
    double TopAnswerShare,
    double AbstainRate,
    double Seconds);
