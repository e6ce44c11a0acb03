using MmUpt.Processing.Images;

namespace MmUpt.Data;

/// <summary>
/// Turns a dataset's image reference into bytes. Accepted, in this order: a <c>data:</c> URI with base64 payload; a
/// <c>file://</c> URI or a path (relative to the dataset file's folder, or absolute) of an existing file; raw base64 of
/// an image. Files are read up to <see cref="ImageLimits.MaxFileBytes"/> only. Throws <see cref="FormatException"/> with a
/// short reason otherwise.
/// </summary>
public static class ImageSource
{
    private const int MaxPathLength = 4096;

    public static ImageData Resolve(string value, string baseDirectory, ImageLimits limits)
    {
        if (value.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            var comma = value.IndexOf(',');
            if (comma < 0 || !value.AsSpan(0, comma).EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
            {
                throw new FormatException("data URI must be data:<mime>;base64,<payload>");
            }
            return Checked(Base64(value[(comma + 1)..]) ?? throw new FormatException("data URI payload is not base64"), null);
        }
        if (value.Length <= MaxPathLength)
        {
            var path = value.StartsWith("file://", StringComparison.OrdinalIgnoreCase) ? new Uri(value).LocalPath : value;
            var full = System.IO.Path.GetFullPath(path, baseDirectory);
            if (File.Exists(full))
            {
                return Checked(Read(full, limits), full);
            }
        }
        var bytes = Base64(value);
        if (bytes is not null && ImageSignature.Detect(bytes) is not null)
        {
            return new ImageData(bytes);
        }
        throw new FormatException($"image '{Abbreviate(value)}' is neither a file (relative to {baseDirectory}) nor base64 image data");
    }

    /// <summary>Bytes that must carry an image signature; <paramref name="source"/> names them in the error.</summary>
    public static ImageData Checked(byte[] bytes, string? source) =>
        ImageSignature.Detect(bytes) is not null
            ? new ImageData(bytes, source)
            : throw new FormatException($"{source ?? "inline image"} is not a PNG, JPEG, GIF, WebP or BMP file");

    /// <summary>
    /// An image file's bytes, read only as far as needed: the first bytes must carry an image signature, and the read
    /// stops past <see cref="ImageLimits.MaxFileBytes"/>. So <c>/dev/zero</c> costs 16 bytes, not all memory.
    /// </summary>
    public static byte[] Read(string path, ImageLimits limits)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        var head = new byte[16];
        var headLength = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (ImageSignature.Detect(head.AsSpan(0, headLength)) is null)
        {
            throw new FormatException($"{path} is not a PNG, JPEG, GIF, WebP or BMP file");
        }
        // A regular file's length sizes the buffer; devices and pipes report 0 and grow it up to the limit.
        var content = new MemoryStream(stream.CanSeek && stream.Length > 0 ? (int)Math.Min(stream.Length, limits.MaxFileBytes) + 1 : 1 << 16);
        content.Write(head, 0, headLength);
        var chunk = new byte[1 << 16];
        int read;
        while ((read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, limits.MaxFileBytes + 1L - content.Length))) > 0)
        {
            content.Write(chunk, 0, read);
        }
        return content.Length <= limits.MaxFileBytes
            ? content.ToArray()
            : throw new FormatException($"{path} is larger than the image file limit of {limits.MaxFileBytes:N0} bytes");
    }

    private static byte[]? Base64(string s)
    {
        var buffer = new byte[s.Length * 3 / 4 + 3];
        return Convert.TryFromBase64String(s, buffer, out var n) ? buffer[..n] : null;
    }

    private static string Abbreviate(string s) => s.Length <= 48 ? s : s[..45] + "...";
}
