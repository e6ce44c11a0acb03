using MmUpt.Model;
using static TorchSharp.torch;

namespace MmUpt.Learner.Training;

/// <summary>
/// log π(response token | prefix) of a <see cref="MicroBatch"/> in the [B, R] response layout (fp32, 0 on padding),
/// from logits / T with the never-sampled columns at −∞; rows that share a prompt run it once when the batch was built
/// so (<see cref="MicroBatch.Shared"/>). Only the N response positions reach the vocabulary
/// projection, in chunks (<see cref="TokenLogProbs"/>). Legend: B rows, T tokens, R longest response, N response tokens.
/// </summary>
public static class PolicyLogProbs
{
    public static Tensor Compute(Qwen25VLForConditionalGeneration model, MicroBatch batch, double temperature, int chunkTokens,
        IReadOnlyList<int> neverSampled)
    {
        using var scope = NewDisposeScope();
        Tensor states;
        if (batch.Shared is { } shared)
        {
            var (prompts, continuations) = model.SharedPromptHidden(shared.Prompts, shared.RowPrompt, shared.ContinuationIds, shared.ContinuationMask);
            var width = prompts.shape[2];
            states = cat([prompts.reshape(-1, width), continuations.reshape(-1, width)], 0);        // [U·P + B·S, H]
        }
        else
        {
            var hidden = model.Hidden(batch.Inputs!);                              // [B, T, H]
            states = hidden.reshape(-1, hidden.shape[2]);                          // [B·T, H]
        }
        var flat = states.index_select(0, batch.PredictIndex);                     // [N, H]
        var lp = TokenLogProbs.FromFlatHidden(flat, model.LmHeadWeight, batch.Targets, temperature, chunkTokens, neverSampled); // [N]
        var padded = zeros(batch.Rows * batch.MaxResponse, dtype: lp.dtype, device: lp.device)
            .index_copy(0, batch.ScatterIndex, lp);                                // [B·R]
        return padded.view(batch.Rows, batch.MaxResponse).MoveToOuterDisposeScope();
    }
}
