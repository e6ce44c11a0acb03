namespace MmUpt.Data;

/// <summary>
/// A dataset file read in blocks: the units it can load independently (JSONL: the whole file, any line by offset;
/// Parquet: one row group at a time). <see cref="DatasetStream"/> shuffles blocks and rows within blocks over this,
/// so memory stays at one block (Parquet) or one line (JSONL) whatever the file size.
/// </summary>
public interface IDatasetReader : IAsyncDisposable
{
    /// <summary>The file, as given; used in every error message.</summary>
    string Path { get; }

    /// <summary>Row counts of the blocks in file order. Malformed rows count: they are rows the reader will report.</summary>
    IReadOnlyList<int> BlockSizes { get; }

    /// <summary>Reads the given rows (0-based within <paramref name="block"/>) in the given order.</summary>
    IAsyncEnumerable<RowResult> ReadAsync(int block, IReadOnlyList<int> rows, CancellationToken cancellationToken = default);
}
