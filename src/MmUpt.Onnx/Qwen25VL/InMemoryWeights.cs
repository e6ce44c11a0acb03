namespace MmUpt.Onnx.Qwen25VL;

/// <summary>An <see cref="IWeightSource"/> over tensors already in memory (tests, weight publishing from the learner).</summary>
public sealed class InMemoryWeights : IWeightSource
{
    private readonly SortedDictionary<string, (long[] Shape, float[] Data)> _tensors = new(StringComparer.Ordinal);

    public IEnumerable<string> Names => _tensors.Keys;

    public InMemoryWeights Add(string name, long[] shape, float[] data)
    {
        var count = shape.Aggregate(1L, (a, b) => a * b);
        if (count != data.LongLength)
        {
            throw new ArgumentException($"tensor '{name}': shape [{string.Join(",", shape)}] needs {count} values, got {data.LongLength}");
        }
        _tensors[name] = (shape, data);
        return this;
    }

    public long[]? Shape(string name) => _tensors.TryGetValue(name, out var t) ? t.Shape : null;

    /// <summary>The stored array itself, not a copy: a writer may overwrite it in place (the learner's snapshots reuse released ones).</summary>
    public float[] ReadFloat32(string name) => _tensors.TryGetValue(name, out var t)
        ? t.Data
        : throw new KeyNotFoundException($"no tensor named '{name}'");

    public void ReadFloat32(string name, long firstElement, Span<float> destination) =>
        ReadFloat32(name).AsSpan(checked((int)firstElement), destination.Length).CopyTo(destination);
}
