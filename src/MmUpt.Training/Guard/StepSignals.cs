namespace MmUpt.Training.Guard;

/// <summary>
/// What the collapse guard reads after each step: the voting service's step metrics for the step's groups, and — only
/// when a labelled dev set is configured — the dev accuracy of the weights the step produced.
/// </summary>
/// <param name="Step">The learner step (1-based) that produced <paramref name="WeightsVersion"/>.</param>
/// <param name="WeightsVersion">The weights version after the step.</param>
/// <param name="TopAnswerShare">Share of the step's groups whose majority is the step's most common majority answer.</param>
/// <param name="MeanMajorityRatio">Mean over groups of votes for the winner / samples.</param>
/// <param name="MeanAnswerEntropy">Mean over groups of the answer-cluster entropy (nats).</param>
/// <param name="DevAccuracy">Accuracy on the labelled dev set, in [0, 1]; null when none is configured or not measured this step.</param>
/// <param name="DevVersion">The weights version <paramref name="DevAccuracy"/> measured (the one this step published).</param>
public sealed record StepSignals(
    long Step,
    ulong WeightsVersion,
    double TopAnswerShare,
    double MeanMajorityRatio,
    double MeanAnswerEntropy,
    double? DevAccuracy = null,
    ulong? DevVersion = null);

/// <summary>A dev-set measurement: pass@1 of weights version <paramref name="Version"/>.</summary>
public sealed record DevMeasurement(double Accuracy, ulong Version);
