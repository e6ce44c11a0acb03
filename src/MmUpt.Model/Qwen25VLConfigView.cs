using MmUpt.Checkpoint;

namespace MmUpt.Model;

/// <summary>The decoder numbers the blocks need, read once from a validated config.</summary>
public sealed record Qwen25VLConfigView(int Hidden, int Intermediate, int Heads, int KvHeads, double Eps)
{
    public static Qwen25VLConfigView From(Qwen25VLConfig c) =>
        new(c.HiddenSize, c.IntermediateSize, c.NumAttentionHeads, c.NumKeyValueHeads, c.RmsNormEps);
}
