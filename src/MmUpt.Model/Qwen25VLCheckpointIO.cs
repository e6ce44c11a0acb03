using MmUpt.Checkpoint;
using MmUpt.Checkpoint.Safetensors;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace MmUpt.Model;

/// <summary>
/// Safetensors ↔ model parameters by checkpoint name. Loading checks every name and shape before copying anything
/// and reports all missing, unexpected and mismatched tensors at once. Either name layout is accepted.
/// </summary>
public static class Qwen25VLCheckpointIO
{
    public static void Load(nn.Module module, string folder, bool tiedEmbeddings)
    {
        using var ck = SafetensorsCheckpoint.Open(folder);
        var stored = WeightNames.CanonicalMap(ck.Names);
        var parameters = module.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var missing = parameters.Keys.Where(n => !stored.ContainsKey(n)).ToList();
        // A tied checkpoint may still carry lm_head.weight (a copy of the embedding): ignore it.
        var unexpected = stored.Keys.Where(n => !parameters.ContainsKey(n) && !(tiedEmbeddings && n == "lm_head.weight")).ToList();
        var mismatched = parameters.Where(p => stored.ContainsKey(p.Key))
            .Select(p => (p.Key, Want: p.Value.shape, Have: ck.Info(stored[p.Key]).Shape))
            .Where(x => !x.Want.SequenceEqual(x.Have))
            .Select(x => $"{x.Key}: model [{string.Join(",", x.Want)}], checkpoint [{string.Join(",", x.Have)}]").ToList();
        if (missing.Count + unexpected.Count + mismatched.Count > 0)
        {
            throw new CheckpointFormatException($"{folder}: weights do not fit the model" +
                Section("missing", missing) + Section("unexpected", unexpected) + Section("shape mismatch", mismatched));
        }
        using var noGrad = no_grad();
        foreach (var (name, param) in parameters)
        {
            using var scope = NewDisposeScope();
            var info = ck.Info(stored[name]);
            var cpu = empty(info.Shape, ToScalarType(info.DType));
            cpu.bytes = ck.ReadBytes(stored[name]);
            param.copy_(cpu);
        }
    }

    /// <summary>Writes every parameter as <paramref name="dtype"/> into <c>model.safetensors</c> (or shards).</summary>
    public static void Save(nn.Module module, string folder, SafetensorsDType dtype = SafetensorsDType.F32,
        WeightNameLayout layout = WeightNameLayout.Flat, long maxShardBytes = long.MaxValue)
    {
        var tensors = module.named_parameters().Select(p => new SafetensorsTensor(
            WeightNames.FromCanonical(p.name, layout), dtype, p.parameter.shape, s =>
            {
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                var cpu = p.parameter.detach().to(ToScalarType(dtype)).cpu().contiguous();
                s.Write(cpu.bytes);
            })).ToList();
        SafetensorsCheckpoint.Save(folder, tensors, maxShardBytes);
    }

    public static ScalarType ToScalarType(SafetensorsDType t) => t switch
    {
        SafetensorsDType.F32 => ScalarType.Float32,
        SafetensorsDType.BF16 => ScalarType.BFloat16,
        SafetensorsDType.F16 => ScalarType.Float16,
        SafetensorsDType.F64 => ScalarType.Float64,
        SafetensorsDType.I64 => ScalarType.Int64,
        SafetensorsDType.I32 => ScalarType.Int32,
        SafetensorsDType.I16 => ScalarType.Int16,
        SafetensorsDType.I8 => ScalarType.Int8,
        SafetensorsDType.U8 => ScalarType.Byte,
        SafetensorsDType.BOOL => ScalarType.Bool,
        _ => throw new NotSupportedException($"{t} has no TorchSharp scalar type"),
    };

    private static string Section(string title, List<string> items) =>
        items.Count == 0 ? "" : $"\n  {title} ({items.Count}): " + string.Join(", ", items.Take(20)) + (items.Count > 20 ? ", ..." : "");
}
