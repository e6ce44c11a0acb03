using MmUpt.Checkpoint.Safetensors;
using MmUpt.Onnx.Qwen25VL;

namespace MmUpt.Onnx.Tests.Fixtures;

/// <summary>
/// A weights version as the learner would publish it: a few tensors changed (attention, MLP, a norm and the tied
/// embedding = table and lm_head). Writes the full changed checkpoint and returns only the changed tensors.
/// </summary>
public static class ChangedWeights
{
    public static readonly string[] Names =
        ["model.embed_tokens.weight", "model.layers.0.self_attn.q_proj.weight", "model.layers.0.self_attn.k_proj.bias",
         "model.layers.1.mlp.down_proj.weight", "model.norm.weight"];

    public static (string Folder, InMemoryWeights Delta) Write(ExportedTiny tiny, string name)
    {
        var folder = tiny.NewFolder(name);
        Directory.CreateDirectory(folder);
        foreach (var f in Directory.GetFiles(tiny.Checkpoint).Where(f => !f.EndsWith(".safetensors", StringComparison.Ordinal)))
        {
            File.Copy(f, Path.Combine(folder, Path.GetFileName(f)));
        }
        var delta = new InMemoryWeights();
        var tensors = new List<SafetensorsTensor>();
        using (var checkpoint = SafetensorsCheckpoint.Open(tiny.Checkpoint))
        {
            foreach (var n in checkpoint.Names.Order(StringComparer.Ordinal))
            {
                var values = checkpoint.ReadFloat32(n);
                if (Names.Contains(n))
                {
                    values = values.Select((v, i) => v + 0.05f * MathF.Sin(i * 0.37f)).ToArray();
                    delta.Add(n, checkpoint.Info(n).Shape, values);
                }
                tensors.Add(SafetensorsTensor.FromFloats(n, checkpoint.Info(n).Shape, values));
            }
        }
        SafetensorsCheckpoint.Save(folder, tensors);
        return (folder, delta);
    }
}
