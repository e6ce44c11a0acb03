namespace MmUpt.Data;

/// <summary>A dataset file, or one row of it, cannot be used. The message reads <c>FILE LOCATION: DETAIL</c>.</summary>
public sealed class DatasetFormatException(string path, string? location, string detail)
    : Exception(location is null ? $"{path}: {detail}" : $"{path} {location}: {detail}")
{
    public string Path { get; } = path;

    /// <summary>E.g. <c>line 7</c> or <c>row 6</c>; null when the whole file is at fault.</summary>
    public string? Location { get; } = location;

    public string Detail { get; } = detail;
}
