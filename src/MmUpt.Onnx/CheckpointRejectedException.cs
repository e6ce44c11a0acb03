namespace MmUpt.Onnx;

/// <summary>The checkpoint cannot be represented by the export (unknown architecture, missing tensor, wrong shape, unsupported value).</summary>
public sealed class CheckpointRejectedException(string message) : Exception(message);
