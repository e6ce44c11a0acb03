namespace MmUpt.Data;

/// <summary>What <see cref="SyntheticSetWriter"/> wrote: rows per split and per (split, kind, level), and the files.</summary>
public sealed record SyntheticSetSummary(
    IReadOnlyDictionary<string, int> Splits,
    IReadOnlyDictionary<string, int> ByKindAndLevel,
    IReadOnlyList<string> Files);
