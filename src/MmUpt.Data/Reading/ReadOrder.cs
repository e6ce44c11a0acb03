namespace MmUpt.Data;

/// <summary>
/// The order of one epoch. Shuffled: a permutation of the blocks from (seed, epoch), then within each block a
/// permutation of its rows from (seed, epoch, block). For a single-block file (JSONL, small Parquet) this is a uniform
/// shuffle of all rows; for many row groups it is a two-level shuffle, which keeps one row group in memory at a time
/// at the price of rows of one row group staying together within an epoch. Unshuffled: file order.
/// </summary>
internal sealed class ReadOrder(IReadOnlyList<int> blockSizes, long seed, bool shuffle, int epoch)
{
    private readonly int[] _blocks = shuffle
        ? SeededRandom.For(seed, epoch, -1).Permutation(blockSizes.Count)
        : Enumerable.Range(0, blockSizes.Count).ToArray();

    /// <summary>The (block, rows) pieces from <paramref name="position"/> to the end of the epoch.</summary>
    public IEnumerable<(int Block, IReadOnlyList<int> Rows)> From(long position)
    {
        long start = 0;
        foreach (var block in _blocks)
        {
            var size = blockSizes[block];
            if (position < start + size)
            {
                var rows = shuffle
                    ? SeededRandom.For(seed, epoch, block).Permutation(size)
                    : Enumerable.Range(0, size).ToArray();
                var skip = (int)Math.Max(0, position - start);
                yield return (block, new ArraySegment<int>(rows, skip, size - skip));
            }
            start += size;
        }
    }
}
