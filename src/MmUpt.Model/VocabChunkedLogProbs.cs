using static TorchSharp.torch;

namespace MmUpt.Model;

/// <summary>
/// <c>logp_n = z_n[y_n] − logsumexp(z_n)</c> with <c>z_n = (h_n · Wᵀ) / T</c> in fp32 and the never-sampled columns of z
/// at −∞, for N rows, as one autograd function that never holds more than [rows, V] logits: forward keeps only
/// logsumexp [N]; backward recomputes each chunk's logits and applies <c>∂logp/∂z = onehot(y) − softmax(z)</c>, then
/// <c>∂h = (g/T)(onehot − p) · W</c> and <c>∂W = Σ ((g/T)(onehot − p))ᵀ · h</c> (∂W accumulated in fp32).
/// <para>
/// Why a custom function rather than chunked autograd: autograd over chunks keeps every chunk's [rows, V] logits and
/// softmax until backward (B·L·V floats again, a 152k vocabulary makes that ~0.6 MB per token), and re-running a
/// chunk under a checkpoint would still build the graph of log_softmax + gather per chunk. Recomputing the logits
/// costs one extra [rows, H]·[H, V] matmul per chunk in backward.
/// </para>
/// Legend: N rows (tokens), H hidden, V vocab.
/// </summary>
public sealed class VocabChunkedLogProbs : autograd.SingleTensorFunction<VocabChunkedLogProbs>
{
    public override string Name => nameof(VocabChunkedLogProbs);

    /// <param name="hidden">[N, H] lm_head inputs</param>
    /// <param name="weight">[V, H] lm_head weight</param>
    /// <param name="targets">[N] int64 token ids</param>
    /// <param name="neverSampled">[K] int64 ids whose logits are −∞ (null: none)</param>
    /// <returns>[N] fp32 (fp64 for fp64 inputs)</returns>
    public static Tensor Apply(Tensor hidden, Tensor weight, Tensor targets, double temperature, Tensor? neverSampled, int chunkRows) =>
        apply(hidden, weight, targets, temperature, neverSampled!, chunkRows);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (h, w, y, t, banned, rows) = Unpack(vars);
        using var scope = NewDisposeScope();
        var n = h.shape[0];
        var up = Precision.AtLeastFloat32(h.dtype);
        var logp = empty(n, dtype: up, device: h.device);
        var lse = empty(n, dtype: up, device: h.device);
        for (long s = 0; s < n; s += rows)
        {
            using var chunk = NewDisposeScope();
            var c = Math.Min(rows, n - s);
            var z = Logits(h.narrow(0, s, c), w, t, banned);                            // [c, V]
            var l = z.logsumexp(1);                                                      // [c]
            lse.narrow(0, s, c).copy_(l);
            logp.narrow(0, s, c).copy_(z.gather(1, y.narrow(0, s, c).unsqueeze(1)).squeeze(1) - l);
        }
        // Saved after forward returns (TorchSharp packs them then), so lse must outlive this scope: the caller's scope owns it.
        ctx.save_for_backward(banned is null ? [h, w, y, lse] : [h, w, y, lse, banned]);
        ctx.save_data("t", t);
        ctx.save_data("rows", rows);
        ctx.save_data("needs", (h.requires_grad, w.requires_grad));
        lse.MoveToOuterDisposeScope();
        return logp.MoveToOuterDisposeScope();
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        using var scope = NewDisposeScope();
        var saved = ctx.get_saved_variables();
        var (h, w, y, lse) = (saved[0], saved[1], saved[2], saved[3]);
        var banned = saved.Count > 4 ? saved[4] : null;
        var t = (double)ctx.get_data("t");
        var rows = (int)ctx.get_data("rows");
        var (needH, needW) = ((bool, bool))ctx.get_data("needs");
        var n = h.shape[0];
        var dh = needH ? empty_like(h) : null;
        var dw = needW ? zeros(w.shape, dtype: Precision.AtLeastFloat32(w.dtype), device: w.device) : null;
        for (long s = 0; s < n; s += rows)
        {
            using var chunk = NewDisposeScope();
            var c = Math.Min(rows, n - s);
            var hc = h.narrow(0, s, c);
            var g = gradOutput.narrow(0, s, c).to(lse.dtype).unsqueeze(1) / t;          // [c, 1]
            var p = (Logits(hc, w, t, banned) - lse.narrow(0, s, c).unsqueeze(1)).exp(); // [c, V] softmax
            var dz = (-p * g).scatter_add_(1, y.narrow(0, s, c).unsqueeze(1), g);       // (g/T)(onehot − p)
            if (dh is not null) dh.narrow(0, s, c).copy_(dz.to(h.dtype).matmul(w));     // [c, H]
            if (dw is not null) dw.add_(dz.t().matmul(hc.to(dw.dtype)));                 // [V, H]
        }
        // One entry per forward argument: hidden, weight, then none for targets, temperature, mask and chunk size.
        return [dh?.MoveToOuterDisposeScope()!, dw?.to(w.dtype).MoveToOuterDisposeScope()!, null!, null!, null!, null!];
    }

    /// <summary>[c, H] → [c, V] in ≥ fp32, divided by T, never-sampled columns −∞.</summary>
    private static Tensor Logits(Tensor h, Tensor w, double t, Tensor? banned)
    {
        var z = nn.functional.linear(h, w).to(Precision.AtLeastFloat32(h.dtype)) / t;
        return banned is null ? z : z.index_fill_(1, banned, Scalars.Of(double.NegativeInfinity));
    }

    private static (Tensor H, Tensor W, Tensor Y, double T, Tensor? Banned, int Rows) Unpack(object[] v) =>
        ((Tensor)v[0], (Tensor)v[1], (Tensor)v[2], (double)v[3], v[4] as Tensor, (int)v[5]);
}
