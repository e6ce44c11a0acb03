namespace MmUpt.Data;

/// <summary>One encoded image (PNG, JPEG, ...) as stored in a dataset, plus where it came from when known.</summary>
/// <param name="Bytes">The encoded file, never decoded here.</param>
/// <param name="SourcePath">The file it was read from, or the Parquet struct's <c>path</c>; null for inline base64.</param>
public sealed record ImageData(byte[] Bytes, string? SourcePath = null)
{
    /// <summary>The format told by the file signature: png, jpeg, gif, webp, bmp, or null when unknown.</summary>
    public string? Format => ImageSignature.Detect(Bytes);
}
