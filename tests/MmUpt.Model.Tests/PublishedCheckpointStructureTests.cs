using MmUpt.Checkpoint;
using TorchSharp;
using static TorchSharp.torch;

namespace MmUpt.Model.Tests;

/// <summary>
/// The model built for the real Qwen2.5-VL-3B-Instruct and -7B-Instruct configs has exactly the tensors of the published
/// checkpoints, name for name and shape for shape; so does the one expected-weights list the loader and the exporter
/// check files against. Built on the meta device: parameters have shapes but no storage (7B in fp32 would need ~33 GB).
/// <para>
/// Where Approved/*.txt comes from (checked in, not produced by this project's code):
/// names — the original release layout of Qwen/Qwen2.5-VL-{3B,7B}-Instruct (model.safetensors.index.json:
/// <c>model.embed_tokens.weight</c>, <c>model.layers.{i}.{input_layernorm, post_attention_layernorm, mlp.{gate,up,down}_proj,
/// self_attn.{q,k,v}_proj (weight+bias), self_attn.o_proj}</c>, <c>model.norm.weight</c>, <c>lm_head.weight</c>,
/// <c>visual.patch_embed.proj.weight</c>, <c>visual.blocks.{j}.{norm1, norm2, attn.qkv, attn.proj, mlp.{gate,up,down}_proj}</c>
/// with biases on every vision linear, <c>visual.merger.{ln_q.weight, mlp.0, mlp.2}</c>); the 3B has no
/// <c>lm_head.weight</c> (tied: Qwen maintainer in github.com/QwenLM/Qwen3-VL/issues/1016, the repository formerly named Qwen2.5-VL, "the word embedding and the
/// weights of the LM Head are shared"); shapes — the safetensors header of a Qwen2.5-VL-7B checkpoint as captured in a
/// public test fixture (ComfyUI <c>qwen_2.5_vl_7b_fp8_scaled.safetensors</c>: e.g. <c>model.layers.0.self_attn.k_proj.weight
/// [512, 3584]</c>, <c>visual.patch_embed.proj.weight [1280, 3, 2, 14, 14]</c>, <c>visual.merger.mlp.0.weight [5120, 5120]</c>,
/// <c>visual.blocks.0.mlp.gate_proj.weight [3420, 1280]</c>, 1,446 tensors = 729 weights + fp8 scales), the same shapes
/// asserted for the Qwen-Image text encoder (= Qwen2.5-VL-7B without lm_head, 728 tensors) in another public repository,
/// and the published config.json values (notes §5.1; Approved/*.config.json) for the 3B sizes (hidden 2048, 36 layers,
/// 2 KV heads, vocab 151,936). The per-layer layout was expanded over the layer indexes by a throw-away script.
/// Limitation: the index.json files themselves could not be fetched here; the counts (3B: 824, 7B: 729) agree with both
/// public tensor counts above.
/// </para>
/// </summary>
public class PublishedCheckpointStructureTests
{
    [Theory]
    [InlineData("qwen2.5-vl-3b-instruct", 824)]
    [InlineData("qwen2.5-vl-7b-instruct", 729)]
    public void Model_parameters_are_the_published_tensors(string model, int count)
    {
        var config = Qwen25VLConfigJson.Load(Approved($"{model}.config.json"));
        var published = Published(model);
        Assert.Equal(count, published.Count);

        var meta = new ModelOptions(ScalarType.BFloat16, new Device(DeviceType.META));
        using var m = new Qwen25VLForConditionalGeneration(config, meta);
        var parameters = m.named_parameters().ToList();
        Assert.All(parameters, p => Assert.Equal(DeviceType.META, p.parameter.device_type));
        var actual = parameters.Select(p => $"{p.name}\t{string.Join(",", p.parameter.shape)}").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(published, actual);

        var expected = Qwen25VLWeights.Expected(config).Select(s => $"{s.Name}\t{string.Join(",", s.Shape)}").Order(StringComparer.Ordinal);
        Assert.Equal(published, expected);
    }

    private static List<string> Published(string model) => File.ReadLines(Approved($"{model}.txt"))
        .Where(l => l.Length > 0 && !l.StartsWith('#')).Order(StringComparer.Ordinal).ToList();

    private static string Approved(string file) => Path.Combine(AppContext.BaseDirectory, "Approved", file);
}
