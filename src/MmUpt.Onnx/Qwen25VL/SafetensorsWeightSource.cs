using MmUpt.Checkpoint.Safetensors;

namespace MmUpt.Onnx.Qwen25VL;

/// <summary>An <see cref="IWeightSource"/> over an HF checkpoint's safetensors (single file or shards, either name layout).</summary>
public sealed class SafetensorsWeightSource(SafetensorsCheckpoint checkpoint) : IWeightSource
{
    public IEnumerable<string> Names => checkpoint.Names.OrderBy(n => n, StringComparer.Ordinal);

    public long[]? Shape(string name) => checkpoint.Contains(name) ? checkpoint.Info(name).Shape : null;

    public float[] ReadFloat32(string name) => checkpoint.ReadFloat32(name);

    public void ReadFloat32(string name, long firstElement, Span<float> destination) =>
        checkpoint.ReadFloat32(name, firstElement, destination);
}
