namespace MmUpt.Onnx.Export;

/// <summary>The output folder cannot be written as asked (inside the input, not empty without overwrite, a file); nothing was written.</summary>
public sealed class ExportTargetException(string message) : IOException(message);
