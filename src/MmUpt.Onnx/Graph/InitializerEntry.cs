namespace MmUpt.Onnx.Graph;

/// <summary>
/// One initializer of a graph. <paramref name="Overridable"/> initializers are also declared as graph inputs
/// (IR ≥ 4), which is what lets an ORT adapter file replace them in a running session. <paramref name="Weight"/>:
/// a trained weight (always written to external data, however small, so a new weights version replaces every one),
/// as opposed to a constant of the graph's own.
/// </summary>
public sealed record InitializerEntry(string Name, TensorPayload Payload, bool Overridable, bool Weight);
