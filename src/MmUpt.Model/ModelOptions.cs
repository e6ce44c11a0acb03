using MmUpt.Core;
using TorchSharp;

namespace MmUpt.Model;

/// <summary>Where and in which precision a model is built. Parameters are created so, never moved with <c>.to()</c>.</summary>
public sealed record ModelOptions(torch.ScalarType DType, torch.Device Device)
{
    public static ModelOptions CpuFloat32 => new(torch.ScalarType.Float32, torch.CPU);

    public static ModelOptions CpuBFloat16 => new(torch.ScalarType.BFloat16, torch.CPU);

    /// <summary>"fp32" | "bf16" on a device string ("cpu", "cuda", "cuda:N"; see <see cref="DeviceSpec"/>).</summary>
    public static ModelOptions Parse(string dtype, string device = "cpu") => new(dtype switch
    {
        "fp32" or "float32" => torch.ScalarType.Float32,
        "bf16" or "bfloat16" => torch.ScalarType.BFloat16,
        _ => throw new ArgumentException($"dtype must be fp32 or bf16, got \"{dtype}\""),
    }, ToTorch(DeviceSpec.Parse(device)));

    /// <summary>
    /// The TorchSharp device for a validated <see cref="DeviceSpec"/>. CUDA builds load the CUDA backend first
    /// (TorchSharp needs <c>InitializeDeviceType</c>) and fail with the device count when the index does not exist.
    /// </summary>
    public static torch.Device ToTorch(DeviceSpec device)
    {
        if (!device.IsCuda)
        {
            return torch.CPU;
        }
        torch.InitializeDeviceType(DeviceType.CUDA);
        var count = torch.cuda.device_count();
        if (device.Index >= count)
        {
            throw new ArgumentException($"device {device} does not exist: {count} CUDA device(s) visible (CUDA_VISIBLE_DEVICES?)");
        }
        return new torch.Device(DeviceType.CUDA, device.Index);
    }
}
