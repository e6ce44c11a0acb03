namespace MmUpt.Data;

/// <summary>One row as read from a file: a record, or the reason it is malformed.</summary>
/// <param name="Location">Where the row is, as a person finds it: <c>line 7</c> (JSONL, 1-based) or <c>row 6</c> (Parquet, 0-based).</param>
/// <param name="Record">The parsed record, null when malformed.</param>
/// <param name="Error">Why the row is malformed, null when it is fine.</param>
public readonly record struct RowResult(string Location, DataRecord? Record, string? Error);
