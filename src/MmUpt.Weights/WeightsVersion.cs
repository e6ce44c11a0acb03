using MmUpt.Contracts.V1;

namespace MmUpt.Weights;

/// <summary>A complete version in a <see cref="WeightsStore"/>: its manifest and the folder holding its files.</summary>
public sealed record WeightsVersion(WeightsManifest Manifest, string Folder)
{
    public ulong Number => Manifest.Version;

    public long TotalBytes => Manifest.Files.Sum(f => (long)f.SizeBytes);

    /// <summary>The manifest entry named <paramref name="name"/>, or null.</summary>
    public WeightsFile? File(string name) => Manifest.Files.FirstOrDefault(f => f.Name == name);

    public string PathOf(WeightsFile file) => Path.Combine(Folder, file.Name);
}
