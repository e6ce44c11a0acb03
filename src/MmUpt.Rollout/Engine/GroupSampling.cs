using MmUpt.Sampling;

namespace MmUpt.Rollout.Engine;

/// <summary>
/// How the rows of one group are sampled: the settings (temperature, top-p, top-k, max new tokens, seed), the banned ids
/// as a mask over the vocabulary (null: none), and the ids that end a response (the model's end-of-sequence ids plus the
/// request's stop ids; the stop token is kept in the response).
/// </summary>
public sealed record GroupSampling(SamplingSettings Settings, bool[]? Banned, IReadOnlySet<int> Stop)
{
    /// <summary>A mask of <paramref name="vocab"/> entries with <paramref name="ids"/> set; null when there are none.</summary>
    public static bool[]? Mask(IEnumerable<int> ids, int vocab)
    {
        bool[]? mask = null;
        foreach (var id in ids)
        {
            mask ??= new bool[vocab];
            mask[id] = true;
        }
        return mask;
    }
}
