namespace MmUpt.Onnx.Graph;

/// <summary>
/// One initializer of a graph. <paramref name="Overridable"/> initializers are also declared as graph inputs
/// (IR ≥ 4), which is what lets an ORT adapter file replace them in a running session.
/// </summary>
public sealed record InitializerEntry(string Name, TensorPayload Payload, bool Overridable);
