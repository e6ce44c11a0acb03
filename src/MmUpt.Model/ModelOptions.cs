using TorchSharp;

namespace MmUpt.Model;

/// <summary>Where and in which precision a model is built. Parameters are created so, never moved with <c>.to()</c>.</summary>
public sealed record ModelOptions(torch.ScalarType DType, torch.Device Device)
{
    public static ModelOptions CpuFloat32 => new(torch.ScalarType.Float32, torch.CPU);

    public static ModelOptions CpuBFloat16 => new(torch.ScalarType.BFloat16, torch.CPU);

    /// <summary>"fp32" | "bf16" on a device string ("cpu", "cuda:0").</summary>
    public static ModelOptions Parse(string dtype, string device = "cpu") => new(dtype switch
    {
        "fp32" or "float32" => torch.ScalarType.Float32,
        "bf16" or "bfloat16" => torch.ScalarType.BFloat16,
        _ => throw new ArgumentException($"dtype must be fp32 or bf16, got \"{dtype}\""),
    }, new torch.Device(device));
}
