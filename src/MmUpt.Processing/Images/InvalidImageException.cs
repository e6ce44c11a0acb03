namespace MmUpt.Processing.Images;

/// <summary>
/// An image that cannot or may not be decoded: no known header, a corrupt or truncated body, too many pixels, a shape the
/// processor refuses. Derives from <see cref="ArgumentException"/>, which the image processor has always thrown for bad bytes.
/// </summary>
public sealed class InvalidImageException(string message) : ArgumentException(message);
