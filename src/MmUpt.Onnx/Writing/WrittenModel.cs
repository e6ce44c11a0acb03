namespace MmUpt.Onnx.Writing;

/// <summary>What <see cref="OnnxModelWriter.Write"/> produced: the .onnx file and, in external mode, its data file.</summary>
public sealed record WrittenModel(string Path, long ModelBytes, string? DataPath, long DataBytes);
