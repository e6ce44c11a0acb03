using static TorchSharp.torch;

namespace MmUpt.Learner.Grpo;

/// <summary>
/// One micro-batch of the GRPO loss. Rows = responses, columns = response tokens (right-padded); every tensor has the
/// same float dtype and device. The caller owns them.
/// </summary>
/// <param name="LogProbs">[B, L] log π_θ of the sampled tokens (logits / temperature); the tensor gradients flow into</param>
/// <param name="OldLogProbs">[B, L] log π_old (no gradient)</param>
/// <param name="RefLogProbs">[B, L] log π_ref of the frozen reference; null: no KL term</param>
/// <param name="ResponseMask">[B, L] 1 for response tokens, 0 for padding</param>
/// <param name="Advantages">[B] (broadcast over tokens) or [B, L]</param>
/// <param name="IsWeights">[B, L] truncated importance weights min(π_old / π_behaviour, C) (async mode); null: none</param>
public sealed record GrpoLossInputs(
    Tensor LogProbs,
    Tensor OldLogProbs,
    Tensor? RefLogProbs,
    Tensor ResponseMask,
    Tensor Advantages,
    Tensor? IsWeights = null);
