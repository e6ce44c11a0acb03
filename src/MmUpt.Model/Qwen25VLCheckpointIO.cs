using MmUpt.Checkpoint;
using MmUpt.Checkpoint.Safetensors;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace MmUpt.Model;

/// <summary>
/// Safetensors ↔ model parameters by checkpoint name. Loading checks every name and shape against the config
/// (<see cref="Qwen25VLWeightCheck"/>) before copying anything. Either name layout is accepted.
/// </summary>
public static class Qwen25VLCheckpointIO
{
    /// <summary>
    /// Every tensor header of <paramref name="folder"/> checked against the config (<see cref="Qwen25VLWeightCheck"/>);
    /// call before building the model, so a checkpoint that does not fit allocates nothing.
    /// </summary>
    /// <returns>Canonical name → stored name.</returns>
    public static IReadOnlyDictionary<string, string> Check(Qwen25VLConfig config, string folder)
    {
        using var ck = SafetensorsCheckpoint.Open(folder);
        return Qwen25VLWeightCheck.Run(config, ck, folder);
    }

    /// <summary>Copies the checkpoint's tensors into the model's parameters (checked first, all at once).</summary>
    public static void Load(Qwen25VLForConditionalGeneration model, string folder)
    {
        using var ck = SafetensorsCheckpoint.Open(folder);
        var stored = Qwen25VLWeightCheck.Run(model.Config, ck, folder);
        using var noGrad = no_grad();
        foreach (var (name, param) in model.named_parameters())
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
}
