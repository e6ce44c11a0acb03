using MmUpt.Checkpoint.Safetensors;
using MmUpt.Checkpoint;
using MmUpt.Presets;

namespace MmUpt.Onnx.Tests.Fixtures;

/// <summary>
/// A tiny HF checkpoint written by MmUpt.Checkpoint (`mmupt init --preset tiny`), with every tensor — biases and norm
/// weights too — redrawn at random so a wrong bias or norm wiring shows in the logits.
/// </summary>
public static class TinyCheckpoint
{
    public static Qwen25VLConfig Write(string folder, long seed, CheckpointPreset? preset = null)
    {
        var config = CheckpointInitializer.Write(preset ?? CheckpointPreset.Tiny, folder, seed);
        var rng = new Random((int)seed);
        var tensors = Qwen25VLWeights.Expected(config).Select(spec =>
        {
            var values = new float[spec.ElementCount];
            var scale = spec.Role == WeightRole.Norm ? 0.2 : 0.08;
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = (float)((rng.NextDouble() * 2 - 1) * scale * Math.Sqrt(3)) + (spec.Role == WeightRole.Norm ? 1f : 0f);
            }
            return SafetensorsTensor.FromFloats(spec.Name, spec.Shape, values);
        }).ToList();
        foreach (var f in Directory.GetFiles(folder, "*.safetensors*"))
        {
            File.Delete(f);
        }
        SafetensorsCheckpoint.Save(folder, tensors);
        return config;
    }
}
