namespace MmUpt.Checkpoint;

/// <summary>One tensor a Qwen2.5-VL checkpoint must hold: canonical (flat-layout) name, shape and role.</summary>
public sealed record WeightSpec(string Name, long[] Shape, WeightRole Role)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);
}
