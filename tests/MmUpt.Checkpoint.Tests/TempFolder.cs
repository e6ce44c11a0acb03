namespace MmUpt.Checkpoint.Tests;

/// <summary>A fresh folder under the temp directory, deleted on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("mmupt-ckpt-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
