using MmUpt.Checkpoint.Safetensors;
using MmUpt.Checkpoint;

namespace MmUpt.Presets;

/// <summary>
/// Deterministic random weights for a config, without any engine: matrices ~ N(0, initializer_range²), biases 0,
/// norm weights 1 (transformers' <c>_init_weights</c> for Qwen2.5-VL). Each tensor draws from its own stream seeded by
/// (seed, FNV-1a of its name), so adding a tensor never changes the others.
/// </summary>
public static class RandomInit
{
    public static IReadOnlyList<SafetensorsTensor> Tensors(Qwen25VLConfig config, long seed, SafetensorsDType dtype = SafetensorsDType.F32)
    {
        var std = config.Extra is not null && config.Extra.TryGetValue("initializer_range", out var r) ? r.GetDouble() : 0.02;
        // Drawn when written, one tensor at a time, so a large checkpoint never sits in memory whole.
        return Qwen25VLWeights.Expected(config).Select(spec => new SafetensorsTensor(spec.Name, dtype, spec.Shape,
            s => s.Write(ElementConversions.FromFloat32(Values(spec, seed, std), dtype)))).ToList();
    }

    public static float[] Values(WeightSpec spec, long seed, double std)
    {
        var n = checked((int)spec.ElementCount);
        var values = new float[n];
        switch (spec.Role)
        {
            case WeightRole.Norm:
                Array.Fill(values, 1f);
                break;
            case WeightRole.Matrix:
                var rng = new Random(unchecked((int)(seed * 1_000_003 ^ (long)Fnv1a(spec.Name))));
                for (var i = 0; i < n; i += 2)
                {
                    // Box-Muller: two normals per pair of uniforms.
                    var u1 = 1.0 - rng.NextDouble();
                    var u2 = rng.NextDouble();
                    var r = Math.Sqrt(-2.0 * Math.Log(u1)) * std;
                    values[i] = (float)(r * Math.Cos(2 * Math.PI * u2));
                    if (i + 1 < n) values[i + 1] = (float)(r * Math.Sin(2 * Math.PI * u2));
                }
                break;
        }
        return values;
    }

    private static ulong Fnv1a(string s)
    {
        var h = 14695981039346656037UL;
        foreach (var ch in s)
        {
            h ^= ch;
            h *= 1099511628211UL;
        }
        return h;
    }
}
