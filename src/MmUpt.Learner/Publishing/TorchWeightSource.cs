using System.Runtime.InteropServices;
using MmUpt.Onnx.Qwen25VL;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MmUpt.Learner.Publishing;

/// <summary>
/// An <see cref="IWeightSource"/> over a live TorchSharp model: its parameters by their checkpoint names
/// (<c>[ComponentName]</c> gives the flat HF keys, e.g. <c>model.layers.0.self_attn.q_proj.weight</c>), read as fp32 on
/// the CPU whatever the model's dtype and device. Reads see the parameters as they are at the time of the read, so
/// anything that runs while training steps should read a <see cref="Snapshot"/> instead.
/// </summary>
public sealed class TorchWeightSource(nn.Module model) : IWeightSource
{
    private readonly Dictionary<string, Parameter> _parameters =
        model.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);

    public IEnumerable<string> Names => _parameters.Keys.Order(StringComparer.Ordinal);

    public long[]? Shape(string name) => _parameters.TryGetValue(name, out var p) ? p.shape : null;

    public float[] ReadFloat32(string name) => _parameters.TryGetValue(name, out var p)
        ? Copy(p)
        : throw new KeyNotFoundException($"the model has no parameter '{name}'");

    /// <summary>A slice of the flattened parameter, copied (converted, moved to the CPU) only for that slice.</summary>
    public void ReadFloat32(string name, long firstElement, Span<float> destination)
    {
        var p = _parameters.TryGetValue(name, out var found) ? found : throw new KeyNotFoundException($"the model has no parameter '{name}'");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // clone: a tensor of its own, so its bytes start at the slice (a narrowed view keeps the parameter's storage offset).
        var slice = p.detach().flatten().narrow(0, firstElement, destination.Length).to(ScalarType.Float32, CPU).clone();   // [n]
        MemoryMarshal.Cast<byte, float>(slice.bytes).CopyTo(destination);
    }

    /// <summary>Every parameter copied to CPU fp32 memory now: the training loop may step again as soon as this returns.</summary>
    /// <param name="reuse">
    /// An earlier snapshot of this model that nothing reads any more: its arrays are overwritten and it is returned,
    /// instead of ~4 bytes per parameter of fresh (large-object) arrays at every publish. Ignored when its tensors are
    /// not exactly this model's (names and shapes).
    /// </param>
    public InMemoryWeights Snapshot(InMemoryWeights? reuse = null)
    {
        if (reuse is not null && Matches(reuse))
        {
            foreach (var name in Names)
            {
                CopyInto(_parameters[name], reuse.ReadFloat32(name));
            }
            return reuse;
        }
        var snapshot = new InMemoryWeights();
        foreach (var name in Names)
        {
            var p = _parameters[name];
            snapshot.Add(name, p.shape, Copy(p));
        }
        return snapshot;
    }

    private bool Matches(InMemoryWeights weights) =>
        weights.Names.SequenceEqual(Names, StringComparer.Ordinal) && Names.All(n => weights.Shape(n)!.SequenceEqual(_parameters[n].shape));

    /// <summary>The parameter in a new array (<see cref="CopyInto"/>).</summary>
    private static float[] Copy(Parameter p)
    {
        var values = GC.AllocateUninitializedArray<float>(checked((int)p.numel()));
        CopyInto(p, values);
        return values;
    }

    /// <summary>One copy into managed memory (plus a conversion and a device transfer when the model is not CPU fp32).</summary>
    /// <remarks>
    /// A block copy of the tensor's bytes: <c>data&lt;float&gt;().ToArray()</c> took 6–7 ms for the tiny preset's 80
    /// tensors (2.6 MB) against ~1 ms this way (throwaway timing), on the training thread at every publish. A tensor of
    /// more than 2 GiB, which one span cannot cover, takes the slow path.
    /// </remarks>
    private static void CopyInto(Parameter p, float[] destination)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var cpu = p.detach().to(ScalarType.Float32, CPU).contiguous();
        if (cpu.numel() * sizeof(float) <= int.MaxValue)
        {
            MemoryMarshal.Cast<byte, float>(cpu.bytes).CopyTo(destination);
        }
        else
        {
            cpu.data<float>().CopyTo(destination, 0);
        }
    }
}
