using static TorchSharp.torch;

namespace MmUpt.Model;

/// <summary>The dtype for the numerically sensitive parts (norms, softmax, rotary, log-probs): fp32, or fp64 for fp64 models.</summary>
public static class Precision
{
    public static ScalarType AtLeastFloat32(ScalarType t) => t == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32;
}
