namespace MmUpt.Onnx.Writing;

/// <summary>An external data file written for a weights version: its path, size and SHA-256 (lower-case hex), hashed as it was written.</summary>
public sealed record WrittenDataFile(string Path, long Bytes, string Sha256)
{
    public string Name => System.IO.Path.GetFileName(Path);
}
