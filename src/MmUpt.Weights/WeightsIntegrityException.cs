namespace MmUpt.Weights;

/// <summary>
/// A file of a weights version is not what its manifest says (size, SHA-256, or a stream that skipped, overlapped or
/// stopped short). Names the version and the file.
/// </summary>
public sealed class WeightsIntegrityException(ulong version, string fileName, string problem)
    : Exception($"weights version {version}, file '{fileName}': {problem}")
{
    public ulong Version { get; } = version;

    public string FileName { get; } = fileName;

    /// <summary>What is wrong, without the version and file.</summary>
    public string Problem { get; } = problem;
}
