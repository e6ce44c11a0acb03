namespace MmUpt.Learner.Grpo;

/// <summary>
/// The parts of one micro-batch loss, as numbers (names as in EasyR1's metrics). All are token means over the
/// micro-batch's response tokens; <see cref="Loss"/> is already divided by the accumulation count.
/// </summary>
/// <param name="Loss">(pg_loss + β·kl_loss) / accumulation</param>
/// <param name="PgLoss">clipped policy-gradient loss</param>
/// <param name="KlLoss">k3 KL to the reference (0 without a reference)</param>
/// <param name="ClipFracHigher">share of tokens where the clipped surrogate was taken (ratio outside [1 − ε_low, 1 + ε_high] on the losing side)</param>
/// <param name="ClipFracLower">share of tokens where the dual clip bound −A·c was taken (A &lt; 0)</param>
/// <param name="PpoKl">mean of log π_old − log π_θ</param>
/// <param name="Entropy">mean of −log π_θ of the sampled tokens (EasyR1's "entropy_loss"; a metric, never in the loss)</param>
/// <param name="Tokens">response tokens in the micro-batch</param>
public sealed record GrpoLossParts(
    double Loss, double PgLoss, double KlLoss, double ClipFracHigher, double ClipFracLower, double PpoKl, double Entropy, long Tokens);
