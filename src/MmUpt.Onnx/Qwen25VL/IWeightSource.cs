namespace MmUpt.Onnx.Qwen25VL;

/// <summary>
/// Named float tensors of a checkpoint (safetensors on disk, or a model in memory). Names may use either HF layout
/// (<c>model.*</c>/<c>visual.*</c> or <c>model.language_model.*</c>/<c>model.visual.*</c>); the export normalises them
/// with <see cref="MmUpt.Checkpoint.WeightNames.ToCanonical"/>.
/// </summary>
public interface IWeightSource
{
    IEnumerable<string> Names { get; }

    /// <summary>Shape of tensor <paramref name="name"/>, or null when absent.</summary>
    long[]? Shape(string name);

    /// <summary>The tensor as fp32, row-major (bf16/fp16 checkpoints are widened exactly).</summary>
    float[] ReadFloat32(string name);

    /// <summary>
    /// Elements [<paramref name="firstElement"/>, + <paramref name="destination"/>.Length) of the tensor (row-major) as
    /// fp32: the export streams a tensor through this in pieces, so it never holds more than one tensor.
    /// </summary>
    void ReadFloat32(string name, long firstElement, Span<float> destination);
}
