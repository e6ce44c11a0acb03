using System.Globalization;

namespace MmUpt.Core;

/// <summary>An engine device as users write it: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
public readonly record struct DeviceSpec(string Kind, int Index)
{
    public static DeviceSpec Cpu => new("cpu", 0);

    public bool IsCuda => Kind == "cuda";

    public override string ToString() => IsCuda ? $"cuda:{Index}" : "cpu";

    /// <summary>Parses a device string; throws <see cref="FormatException"/> with the accepted forms on bad input, and
    /// <see cref="NotSupportedException"/> for CUDA in a CPU-only build.</summary>
    public static DeviceSpec Parse(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        DeviceSpec spec;
        if (t == "cpu")
        {
            spec = Cpu;
        }
        else if (t == "cuda")
        {
            spec = new DeviceSpec("cuda", 0);
        }
        else if (t.StartsWith("cuda:", StringComparison.Ordinal)
                 && int.TryParse(t.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            spec = new DeviceSpec("cuda", index);
        }
        else
        {
            throw new FormatException($"'{text}' is not a device; use cpu, cuda or cuda:N");
        }
        if (spec.IsCuda && BuildInfo.Accelerator != "cuda")
        {
            throw new NotSupportedException($"'{text}' needs a CUDA build; this build is CPU-only (rebuild with -p:Accelerator=cuda)");
        }
        return spec;
    }
}
