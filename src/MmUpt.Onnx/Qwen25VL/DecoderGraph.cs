using MmUpt.Checkpoint;
using MmUpt.Onnx.Graph;
using MmUpt.Onnx.Proto;

namespace MmUpt.Onnx.Qwen25VL;

/// <summary>
/// The Qwen2.5-VL text decoder in the ORT GenAI I/O contract (notes/ortgenai-0.18.md §2.5):
/// inputs_embeds [B,S,H], attention_mask [B,T] (holes allowed), position_ids [3,B,S] (mRoPE t/h/w streams),
/// past_key_values.{i}.key/value [B,KV,T−S,D] → logits [B,S,V], present.{i}.key/value [B,KV,T,D] = past ++ new.
/// Attention is eager: softmax(QKᵀ/√D masked by causal ∧ key validity)·V with the query heads of each KV head stacked (grouped-query attention, no repeated cache).
/// <para>
/// KV validity channel (the <c>qwen2_5_vl</c> decoder only): ORT GenAI 0.18 feeds this model type an all-ones
/// attention_mask at every decode step (<c>Qwen2VLPositionInputs::UpdateAttentionMask</c>), which would let a
/// right-padded row attend its pad slots. So each cached key and value carries one extra channel, D, holding the
/// attention_mask value of its position when it was written ([B,KV,T,D+1]; genai_config head_size = D+1), and the
/// mask of the keys is read back from layer 0's cache instead of from attention_mask. Prefill masks are exact, so
/// pads stay masked for the whole generation. Costs 1/D of the KV memory.
/// </para>
/// </summary>
internal static class DecoderGraph
{
    private const TensorProto.Types.DataType F32 = TensorProto.Types.DataType.Float;

    /// <param name="textOnly">
    /// The ORT GenAI <c>qwen2</c> contract instead: input_ids [B,S] through the embedding table inside the graph and
    /// 1-D position_ids [B,S] used for all three mRoPE streams (text positions are equal in t/h/w).
    /// </param>
    /// <param name="allPositionLogits">
    /// Logits [B,S,V] for every position; otherwise [B,1,V] for each row's last real new token (ORT GenAI then treats
    /// the model as "pruned" and samples from them directly), and the head runs on one position per row.
    /// </param>
    /// <param name="maskNeverSampled">
    /// Add a constant −inf to the logit columns of <see cref="NeverSampledTokens.Ids"/>: no sampler can
    /// emit them, and the learner applies the same mask before its log-softmax (MmUpt.Checkpoint.NeverSampledTokens).
    /// </param>
    public static OnnxModel Build(Qwen25VLConfig a, Func<GraphBuilder, WeightBinder> bind, bool textOnly = false,
        bool allPositionLogits = false, bool maskNeverSampled = false)
    {
        var g = new GraphBuilder(textOnly ? "qwen2_5_vl_text" : "qwen2_5_vl_decoder");
        var w = bind(g);
        long d = a.HeadDim, nh = a.NumAttentionHeads, nkv = a.NumKeyValueHeads;
        string x, positions;
        var i64 = TensorProto.Types.DataType.Int64;
        if (textOnly)
        {
            var ids = g.Input("input_ids", i64, "batch_size", "sequence_length");
            x = g.Gather(w["model.embed_tokens.weight"], ids);                                          // [B,S,H]
        }
        else
        {
            x = g.Input("inputs_embeds", F32, "batch_size", "sequence_length", a.HiddenSize);
        }
        var mask = g.Input("attention_mask", i64, "batch_size", "total_sequence_length");
        if (textOnly)
        {
            var flat = g.Input("position_ids", i64, "batch_size", "sequence_length");
            positions = g.Expand(g.Unsqueeze(flat, 0), g.Int64s(3, 1, 1));                                // [3,B,S]
        }
        else
        {
            positions = g.Input("position_ids", i64, 3, "batch_size", "sequence_length");
        }
        var kvWidth = CacheWidth(a, textOnly);
        var past = new (string K, string V)[a.NumHiddenLayers];
        for (var i = 0; i < a.NumHiddenLayers; i++)
        {
            past[i] = (g.Input($"past_key_values.{i}.key", F32, "batch_size", nkv, "past_sequence_length", kvWidth),
                       g.Input($"past_key_values.{i}.value", F32, "batch_size", nkv, "past_sequence_length", kvWidth));
        }

        string cos, sin, allowed, fresh;
        string? newValid = null;
        using (g.Scope("model/rotary_emb"))
        {
            (cos, sin) = MropeCosSin(g, a, positions);
        }
        using (g.Scope("model/attn_mask"))
        {
            var total = g.Dim(mask, 1);
            fresh = g.Cast(g.SliceDynamic(mask, g.Unsqueeze(g.Sub(total, g.Dim(x, 1)), 0), g.Unsqueeze(total, 0), 1), F32); // [B,S]
            if (textOnly)
            {
                allowed = AllowedKeys(g, x, mask, g.Cast(mask, TensorProto.Types.DataType.Bool));
            }
            else
            {
                newValid = g.Expand(g.Unsqueeze(fresh, 1, 3), g.Int64s(1, nkv, 1, 1));                 // [B,KV,S,1]
                var cached = g.Squeeze(g.Slice(g.Slice(past[0].K, d, d + 1, 3), 0, 1, 1), 1, 3);          // [B,P]
                var valid = g.Cast(g.Concat(1, cached, fresh), TensorProto.Types.DataType.Bool);          // [B,T]
                allowed = AllowedKeys(g, x, mask, valid);
            }
        }
        using (g.Scope("model/attn_mask"))
        {
            allowed = GroupedMask(g, allowed, a.NumAttentionHeads / a.NumKeyValueHeads);
        }
        var maskedIds = maskNeverSampled ? NeverSampledTokens.Ids(a) : [];
        // The layer stack: on every row, or (rows set) with the per-token work once per run of equal rows. Returns the
        // logits and the presents, named as the graph's outputs when named is set.
        string[] Stack(GraphBuilder b, RowSharing? rows, bool named)
        {
            var (h, c, sn, last) = (x, cos, sin, fresh);
            if (rows is not null)
            {
                using var shared = b.Scope("model/shared_prefill");
                (h, c, sn, last) = (b.Gather(x, rows.Distinct), b.Gather(cos, rows.Distinct), b.Gather(sin, rows.Distinct),
                    b.Gather(fresh, rows.Distinct));                                                // [U,…]
            }
            // The residual stream is [R·S, H] (R rows: B, or the U distinct ones), so every projection is one 2-D product.
            var streamShape = b.Shape(h, 0, 3);                                                     // [R,S,H]
            var streamRows = b.Shape(h, 0, 1);                                                      // [R]
            // [N, D, R, −1]: the shape that splits a projection [N·D, R·S] into heads, for N = H and N = KV.
            var headShapes = new[] { nh, nkv }.Distinct().ToDictionary(n => n, n => b.Concat(0, b.Int64s(n, d), streamRows, b.Int64s(-1)));
            h = b.Reshape(h, -1, a.HiddenSize);                                                     // [R·S,H]
            var results = new List<string>();
            for (var i = 0; i < a.NumHiddenLayers; i++)
            {
                using var layer = b.Scope($"model/layers.{i}");
                (h, var key, var value) = Layer(b, w, a, i, h, headShapes, c, sn, allowed, past[i], newValid, rows, named);
                results.Add(key);
                results.Add(value);
            }
            using (b.Scope("model/final_norm"))
            {
                h = Blocks.RmsNorm(b, h, w[$"model.layers.{a.NumHiddenLayers}.final_norm_layernorm.weight"], a.RmsNormEps);
                h = b.ReshapeTo(h, streamShape);                                                   // [R,S,H]
            }
            if (!allPositionLogits)
            {
                using var lastToken = b.Scope("model/last_token");
                h = LastRealToken(b, h, last, a.HiddenSize);                                // [R,1,H]
            }
            using (b.Scope("lm_head"))
            {
                // The last op writes the graph output itself when named (no copy through an Identity).
                string Last(string op, string[] inputs) => named ? b.NamedNode(op, inputs, "logits") : b.Op(op, inputs);
                // W [V,H] · hᵀ, back to [R,S',V].
                var logitsShape = b.Concat(0, b.Shape(h, 0, 2), b.Int64s(a.VocabSize));               // [R,S',V]
                var rowsByVocab = b.Transpose(b.MatMul(w["lm_head.MatMul.weight"], Columns(b, h, a.HiddenSize)), 1, 0); // [R·S',V]
                string logits;
                if (maskedIds.Length > 0)
                {
                    // Where, not Add: ORT may fuse MatMul + Add into another kernel, and the other logits must stay bit-identical.
                    var never = new float[a.VocabSize];
                    foreach (var id in maskedIds)
                    {
                        never[id] = 1f;
                    }
                    var masked = b.Equal(b.Floats([a.VocabSize], never), b.FloatScalar(1f));            // [V] bool
                    var product = b.ReshapeTo(rowsByVocab, logitsShape);                                 // [R,S',V]
                    logits = rows is null ? Last("Where", [masked, b.FloatScalar(float.NegativeInfinity), product])
                        : b.Where(masked, b.FloatScalar(float.NegativeInfinity), product);
                }
                else
                {
                    logits = rows is null ? Last("Reshape", [rowsByVocab, logitsShape]) : b.ReshapeTo(rowsByVocab, logitsShape); // [R,S',V]
                }
                if (rows is not null)
                {
                    logits = Last("Gather", [logits, rows.Source]);                                     // [B,S,V]
                }
                results.Insert(0, logits);
            }
            return [.. results];
        }

        if (textOnly)
        {
            Stack(g, null, named: true);
        }
        else
        {
            // ORT GenAI 0.18 cannot fork a generator: a group of G samples is its prompt G times. At the prefill (no
            // past) the decoder runs the per-token work once per run of equal rows (RowSharing); decode steps take the
            // plain stack, with no sharing cost.
            var names = new List<(string, TensorProto.Types.DataType)> { ("logits", F32) };
            for (var i = 0; i < a.NumHiddenLayers; i++)
            {
                names.Add(($"present.{i}.key", F32));
                names.Add(($"present.{i}.value", F32));
            }
            var prefill = g.Equal(g.Dim(past[0].K, 2), g.Int64Scalar(0));
            g.If(prefill, names,
                then: b => Stack(b, RowSharing.Build(b, x, mask, positions), named: false),
                otherwise: b => Stack(b, null, named: false));
        }
        if (allPositionLogits)
        {
            g.Output("logits", F32, "batch_size", "sequence_length", a.VocabSize);
        }
        else
        {
            g.Output("logits", F32, "batch_size", 1, a.VocabSize);
        }
        for (var i = 0; i < a.NumHiddenLayers; i++)
        {
            g.Output($"present.{i}.key", F32, "batch_size", nkv, "total_sequence_length", kvWidth);
            g.Output($"present.{i}.value", F32, "batch_size", nkv, "total_sequence_length", kvWidth);
        }
        return g.Build();
    }

    /// <summary>The last dimension of the KV cache: D, plus the validity channel for the multimodal decoder.</summary>
    public static long CacheWidth(Qwen25VLConfig a, bool textOnly) => textOnly ? a.HeadDim : a.HeadDim + 1;

    /// <param name="x">The residual stream [R·S, H].</param>
    /// <param name="headShapes">For N = H and N = KV: [N, D, R, −1], which splits a projection [N·D, R·S] into heads.</param>
    /// <param name="newValid">[B,KV,S,1] validity of the new positions, appended as channel D; null without that channel.</param>
    /// <param name="rows">
    /// When set, the stream holds the distinct rows only: the per-token work (projections, MLP) runs on them, and
    /// attention, which needs each row's own cache, on every row.
    /// </param>
    /// <param name="named">Name the presents as the graph's outputs (no If around the stack).</param>
    /// <returns>The layer's output [R·S, H] and its present key and value.</returns>
    /// <remarks>
    /// Every projection is W·xᵀ with W stored [out, in] (<see cref="WeightLayout.AsIs"/>): ONNX Runtime's CPU GEMM packs
    /// its right operand on every call unless it pre-packed a constant at load, which a weights version written into the
    /// data files in place would not reach. Here the right operand is the small activation, and the weight matrix is read
    /// where it lies (measured on the small preset, B = 16: 51 → 39 µs for one [16 × 256]·[256 × 704] product, against
    /// 35 µs pre-packed). The products come out transposed, [out, R·S], which the attention heads take directly.
    /// </remarks>
    private static (string Hidden, string PresentKey, string PresentValue) Layer(GraphBuilder g, WeightBinder w, Qwen25VLConfig a, int i, string x,
        IReadOnlyDictionary<long, string> headShapes, string cos, string sin, string allowed, (string K, string V) past, string? newValid, RowSharing? rows, bool named)
    {
        long d = a.HeadDim, nh = a.NumAttentionHeads, nkv = a.NumKeyValueHeads;
        var p = $"model.layers.{i}";
        string h, presentK, presentV;
        using (g.Scope("attn"))
        {
            var xn = Columns(g, Blocks.RmsNorm(g, x, w[$"{p}.input_layernorm.weight"], a.RmsNormEps), null);   // [H,R·S]
            var q = Heads(g, Project(g, w, xn, $"{p}.attn.q_proj", bias: true), headShapes[nh]);   // [R,H,S,D]
            var k = Heads(g, Project(g, w, xn, $"{p}.attn.k_proj", bias: true), headShapes[nkv]);  // [R,KV,S,D]
            var v = Heads(g, Project(g, w, xn, $"{p}.attn.v_proj", bias: true), headShapes[nkv]);  // [R,KV,S,D]
            q = Blocks.Rotary(g, q, cos, sin, d);
            k = Blocks.Rotary(g, k, cos, sin, d);
            if (rows is not null)
            {
                (q, k, v) = (g.Gather(q, rows.Source), g.Gather(k, rows.Source), g.Gather(v, rows.Source)); // [B,…]
            }
            if (newValid is not null)
            {
                k = g.Concat(3, k, newValid);                                                // [B,KV,S,D+1]
                v = g.Concat(3, v, newValid);                                                // [B,KV,S,D+1]
            }
            presentK = named ? g.NamedNode("Concat", [past.K, k], $"present.{i}.key", Attr.Int("axis", 2)) : g.Concat(2, past.K, k);     // [B,KV,T,Dc]
            presentV = named ? g.NamedNode("Concat", [past.V, v], $"present.{i}.value", Attr.Int("axis", 2)) : g.Concat(2, past.V, v); // [B,KV,T,Dc]
            if (newValid is not null)
            {
                // A zero channel on the queries meets the keys' validity channel: the scores are unchanged, and the
                // cache is read in place instead of being sliced to D every step.
                q = g.Op("Pad", q, g.Int64s(0, 0, 0, 0, 0, 0, 0, 1));                         // [B,H,S,D+1]
            }
            var width = newValid is null ? d : d + 1;
            // Grouped-query attention without repeating the cache: the rep query heads of KV head j (HF repeat_kv
            // order: heads j·rep … j·rep + rep − 1) are stacked along the query axis and attend its keys directly.
            var grouped = g.Reshape(q, 0, nkv, -1, width);                                   // [B,KV,rep·S,Dc]
            var scores = g.Mul(g.MatMul(grouped, g.Transpose(presentK, 0, 1, 3, 2)), g.FloatScalar((float)(1.0 / Math.Sqrt(d)))); // [B,KV,rep·S,T]
            scores = g.Where(allowed, scores, g.FloatScalar(float.MinValue));
            var context = g.Reshape(g.MatMul(g.Softmax(scores, -1), presentV), 0, nh, -1, width); // [B,H,S,Dc]
            if (newValid is not null)
            {
                context = g.Slice(context, 0, d, 3);                                         // [B,H,S,D]
            }
            if (rows is not null)
            {
                context = g.Gather(context, rows.Distinct);                                  // [U,H,S,D]
            }
            context = g.Reshape(g.Transpose(context, 1, 3, 0, 2), nh * d, -1);             // [H·D,R·S]
            h = g.Add(x, g.Transpose(Project(g, w, context, $"{p}.attn.o_proj", bias: false), 1, 0)); // [H,R·S] → [R·S,H]
        }
        using (g.Scope("mlp"))
        {
            var hn = Columns(g, Blocks.RmsNorm(g, h, w[$"{p}.post_attention_layernorm.weight"], a.RmsNormEps), null); // [H,R·S]
            var gate = Project(g, w, hn, $"{p}.mlp.gate_proj", bias: false);                // [I,R·S]
            var up = Project(g, w, hn, $"{p}.mlp.up_proj", bias: false);                    // [I,R·S]
            var act = g.Mul(g.Mul(gate, g.Sigmoid(gate)), up);                               // [I,R·S]: silu(gate)·up
            var down = g.Transpose(Project(g, w, act, $"{p}.mlp.down_proj", bias: false), 1, 0); // [H,R·S] → [R·S,H]
            return (g.Add(h, down), presentK, presentV);
        }
    }

    /// <summary>W·xᵀ (+ b): <paramref name="columns"/> [in, N] → [out, N], with W stored [out, in] and b as [out, 1].</summary>
    private static string Project(GraphBuilder g, WeightBinder w, string columns, string module, bool bias)
    {
        var leaf = module[(module.LastIndexOf('.') + 1)..];
        var y = g.MatMul(w[$"{module}.MatMul.weight"], columns, $"{leaf}/MatMul");
        return bias ? g.Add(y, w[$"{module}.Add.bias"], $"{leaf}/Add") : y;
    }

    /// <summary>xᵀ: [N, H] (or [R, S', H] reshaped to [R·S', H] when <paramref name="hidden"/> is given) → [H, N].</summary>
    private static string Columns(GraphBuilder g, string x, long? hidden) =>
        g.Transpose(hidden is { } size ? g.Reshape(x, -1, size) : x, 1, 0);

    /// <summary>[N·D, R·S] → [R,N,S,D], with <paramref name="shape"/> [N, D, R, −1].</summary>
    private static string Heads(GraphBuilder g, string columns, string shape) =>
        g.Transpose(g.ReshapeTo(columns, shape), 2, 0, 3, 1);   // [N,D,R,S] → [R,N,S,D]

    /// <summary>[B,1,S,T] → [B,1,rep·S,T]: the key mask of each query row, repeated for the rep heads stacked per KV head.</summary>
    private static string GroupedMask(GraphBuilder g, string allowed, long rep)
    {
        if (rep == 1)
        {
            return allowed;
        }
        var expanded = g.Expand(g.Unsqueeze(allowed, 2), g.Int64s(1, 1, rep, 1, 1));                    // [B,1,rep,S,T]
        var shape = g.Concat(0, g.Shape(allowed, 0, 1), g.Int64s(1, -1), g.Shape(allowed, 3, 4));        // [B,1,−1,T]
        return g.ReshapeTo(expanded, shape);
    }

    /// <summary>
    /// mRoPE: freqs[s] = pos[s] ⊗ inv_freq for the 3 streams; frequency j takes stream t, h or w by mrope_section;
    /// emb = cat(f, f) → cos, sin [B,1,S,D].
    /// </summary>
    private static (string Cos, string Sin) MropeCosSin(GraphBuilder g, Qwen25VLConfig a, string positions)
    {
        var half = a.HeadDim / 2;
        var invFreq = new float[half];
        var select = new float[3 * half];
        for (var j = 0; j < half; j++)
        {
            invFreq[j] = (float)(1.0 / Math.Pow(a.RopeTheta, (float)(2 * j) / a.HeadDim));
            var stream = j < a.MropeSection[0] ? 0 : j < a.MropeSection[0] + a.MropeSection[1] ? 1 : 2;
            select[stream * half + j] = 1f;
        }
        var pos = g.Unsqueeze(g.Cast(positions, F32), 3);                                  // [3,B,S,1]
        var freqs = g.Mul(pos, g.Floats([half], invFreq));                                 // [3,B,S,D/2]
        var chosen = g.ReduceSum(g.Mul(freqs, g.Floats([3, 1, 1, half], select)), 0, keepDims: false); // [B,S,D/2]
        var emb = g.Concat(-1, chosen, chosen);                                            // [B,S,D]
        return (g.Unsqueeze(g.Cos(emb), 1), g.Unsqueeze(g.Sin(emb), 1));                   // [B,1,S,D]
    }

    /// <summary>
    /// Each row's hidden state at its last real new position: index = Σ fresh − 1 (right padding puts the real tokens
    /// first), clamped at 0 for a row with none. [B,S,H] → [B,1,H].
    /// </summary>
    private static string LastRealToken(GraphBuilder g, string hidden, string fresh, long hiddenSize)
    {
        var count = g.Cast(g.ReduceSum(fresh, 1), TensorProto.Types.DataType.Int64);         // [B,1]
        var index = g.Op("Max", g.Sub(count, g.Int64Scalar(1)), g.Int64Scalar(0));          // [B,1]
        var gatherIndex = g.Expand(g.Unsqueeze(index, 2), g.Int64s(1, 1, hiddenSize));     // [B,1,H]
        return g.Node("GatherElements", [hidden, gatherIndex], 1, null, Attr.Int("axis", 1))[0]; // [B,1,H]
    }

    /// <summary>Key j is visible to query i (absolute position T−S+i) iff j ≤ T−S+i and valid[b,j] → [B,1,S,T].</summary>
    /// <param name="valid">[B,T] bool: which key positions hold real tokens.</param>
    private static string AllowedKeys(GraphBuilder g, string embeds, string mask, string valid)
    {
        var total = g.Dim(mask, 1);
        var pastLength = g.Sub(total, g.Dim(embeds, 1));
        var one = g.Int64Scalar(1);
        var queryPos = g.Unsqueeze(g.Range(pastLength, total, one), 1);    // [S,1]
        var keyPos = g.Unsqueeze(g.Range(g.Int64Scalar(0), total, one), 0); // [1,T]
        var causal = g.LessOrEqual(keyPos, queryPos);                        // [S,T]
        var keep = g.Unsqueeze(valid, 1, 2);                                 // [B,1,1,T]
        return g.And(causal, keep);                                          // [B,1,S,T]
    }
}
