using static TorchSharp.torch;

namespace MmUpt.Model;

/// <summary>
/// transformers <c>Qwen25VLRotaryEmbedding</c> + the section mixing of <c>apply_multimodal_rotary_pos_emb</c>:
/// <c>freqs[s] = pos[s] ⊗ inv_freq</c> in fp32 for the streams s = (t, h, w), <c>emb = cat(freqs, freqs)</c>, and the last
/// dim cut by <c>mrope_section · 2</c> with chunk i taken from stream i mod 3. Computed per forward (no buffers, see
/// notes §1.2), on the positions' device.
/// </summary>
public sealed class Qwen25VLRotaryEmbedding(int headDim, double theta, IReadOnlyList<int> mropeSection)
{
    /// <summary>positionIds [3, B, L] int64 → (cos, sin) [B, L, D] in <paramref name="dtype"/>.</summary>
    public (Tensor Cos, Tensor Sin) Forward(Tensor positionIds, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        // As the reference: 1 / θ^(arange(0, D, 2) / D) in fp32 (PyTorch's scalar / tensor is reciprocal · scalar).
        var dev = positionIds.device;
        var invFreq = full(headDim / 2, Scalars.Of((float)theta), dtype: ScalarType.Float32, device: dev)
            .pow(arange(Scalars.Of(0), Scalars.Of(headDim), Scalars.Of(2), dtype: ScalarType.Float32, device: dev) / headDim).reciprocal();    // [D/2]
        var freqs = positionIds.to(ScalarType.Float32).unsqueeze(-1) * invFreq;                            // [3, B, L, D/2]
        var emb = cat([freqs, freqs], -1);                                                                // [3, B, L, D]
        var sections = mropeSection.Concat(mropeSection).Select(s => (long)s).ToArray();
        var cosChunks = emb.cos().split(sections, -1);
        var sinChunks = emb.sin().split(sections, -1);
        var cos = cat(cosChunks.Select((c, i) => c[i % 3]).ToArray(), -1).to(dtype);                     // [B, L, D]
        var sin = cat(sinChunks.Select((c, i) => c[i % 3]).ToArray(), -1).to(dtype);
        return (cos.MoveToOuterDisposeScope(), sin.MoveToOuterDisposeScope());
    }
}
