namespace MmUpt.Onnx.Graph;

/// <summary>One dimension of a graph input or output: a fixed size or a symbolic name such as "batch_size".</summary>
public readonly record struct Dim(long? Value, string? Param)
{
    public static implicit operator Dim(long value) => new(value, null);

    public static implicit operator Dim(string param) => new(null, param);

    public override string ToString() => Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Param ?? "?";
}
