namespace MmUpt.Checkpoint;

/// <summary>
/// The one expected-weights list: every tensor (canonical name, shape, role) a checkpoint of this config holds
/// (transformers <c>Qwen2_5_VLForConditionalGeneration</c>). The TorchSharp model's parameters equal it (checked against
/// the published 3B/7B checkpoints by the structure test), the loader and the exporter check files against it
/// (<see cref="Qwen25VLWeightCheck"/>), and the ONNX weight map is derived from it.
/// </summary>
public static class Qwen25VLWeights
{
    /// <summary>In module order; <c>lm_head.weight</c> only when embeddings are not tied.</summary>
    public static IReadOnlyList<WeightSpec> Expected(Qwen25VLConfig c)
    {
        c.Validate();   // range checks first: a config with a million layers is refused before the list is built
        var list = new List<WeightSpec>();
        void M(string n, params long[] s) => list.Add(new WeightSpec(n, s, WeightRole.Matrix));
        void B(string n, long s) => list.Add(new WeightSpec(n, [s], WeightRole.Bias));
        void N(string n, long s) => list.Add(new WeightSpec(n, [s], WeightRole.Norm));

        long h = c.HiddenSize, kv = (long)c.NumKeyValueHeads * c.HeadDim, q = (long)c.NumAttentionHeads * c.HeadDim;
        M("model.embed_tokens.weight", c.VocabSize, h);
        for (var i = 0; i < c.NumHiddenLayers; i++)
        {
            var p = $"model.layers.{i}.";
            M(p + "self_attn.q_proj.weight", q, h); B(p + "self_attn.q_proj.bias", q);
            M(p + "self_attn.k_proj.weight", kv, h); B(p + "self_attn.k_proj.bias", kv);
            M(p + "self_attn.v_proj.weight", kv, h); B(p + "self_attn.v_proj.bias", kv);
            M(p + "self_attn.o_proj.weight", h, q);
            M(p + "mlp.gate_proj.weight", c.IntermediateSize, h);
            M(p + "mlp.up_proj.weight", c.IntermediateSize, h);
            M(p + "mlp.down_proj.weight", h, c.IntermediateSize);
            N(p + "input_layernorm.weight", h);
            N(p + "post_attention_layernorm.weight", h);
        }
        N("model.norm.weight", h);
        if (!c.TieWordEmbeddings) M("lm_head.weight", c.VocabSize, h);

        var v = c.VisionConfig;
        long vh = v.HiddenSize, merged = vh * v.SpatialMergeSize * v.SpatialMergeSize;
        M("visual.patch_embed.proj.weight", vh, v.InChannels, v.TemporalPatchSize, v.PatchSize, v.PatchSize);
        for (var j = 0; j < v.Depth; j++)
        {
            var p = $"visual.blocks.{j}.";
            N(p + "norm1.weight", vh);
            N(p + "norm2.weight", vh);
            M(p + "attn.qkv.weight", 3 * vh, vh); B(p + "attn.qkv.bias", 3 * vh);
            M(p + "attn.proj.weight", vh, vh); B(p + "attn.proj.bias", vh);
            M(p + "mlp.gate_proj.weight", v.IntermediateSize, vh); B(p + "mlp.gate_proj.bias", v.IntermediateSize);
            M(p + "mlp.up_proj.weight", v.IntermediateSize, vh); B(p + "mlp.up_proj.bias", v.IntermediateSize);
            M(p + "mlp.down_proj.weight", vh, v.IntermediateSize); B(p + "mlp.down_proj.bias", vh);
        }
        N("visual.merger.ln_q.weight", vh);
        M("visual.merger.mlp.0.weight", merged, merged); B("visual.merger.mlp.0.bias", merged);
        M("visual.merger.mlp.2.weight", v.OutHiddenSize, merged); B("visual.merger.mlp.2.bias", v.OutHiddenSize);
        return list;
    }
}
