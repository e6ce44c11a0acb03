using System.Runtime.CompilerServices;

namespace MmUpt.Data;

/// <summary>
/// Reads a dataset epoch after epoch in a seeded order (<see cref="ReadOrder"/>), skipping or failing on malformed rows,
/// and keeps a <see cref="Cursor"/> that, saved after consuming record i, makes <see cref="Resume"/> continue with
/// record i+1 exactly. One stream is consumed by one reader at a time.
/// </summary>
public sealed class DatasetStream
{
    private readonly IDatasetReader _reader;
    private readonly DatasetStreamOptions _options;
    private readonly List<string> _problems = [];

    private DatasetStream(IDatasetReader reader, DatasetStreamOptions options, DatasetCursor cursor)
    {
        _reader = reader;
        _options = options;
        Cursor = cursor;
        Rows = reader.BlockSizes.Sum(s => (long)s);
    }

    /// <summary>The next row to read. Updated before each record is handed out.</summary>
    public DatasetCursor Cursor { get; private set; }

    /// <summary>Malformed rows met so far (each epoch meets them again).</summary>
    public long SkippedRows { get; private set; }

    /// <summary>The first <see cref="DatasetStreamOptions.MaxReportedProblems"/> reports: <c>FILE LOCATION: reason</c>.</summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>Rows in the file, malformed ones included.</summary>
    public long Rows { get; }

    public static DatasetStream Start(IDatasetReader reader, DatasetStreamOptions options)
    {
        var rows = reader.BlockSizes.Sum(s => (long)s);
        return new DatasetStream(reader, options, new DatasetCursor(0, 0, options.Seed, options.Shuffle, rows));
    }

    /// <summary>Continues from a saved cursor; its seed and shuffle flag define the order, not the options'.</summary>
    public static DatasetStream Resume(IDatasetReader reader, DatasetStreamOptions options, DatasetCursor cursor)
    {
        var rows = reader.BlockSizes.Sum(s => (long)s);
        if (cursor.Rows != rows)
        {
            throw new DatasetFormatException(reader.Path, null, $"the cursor was saved for {cursor.Rows} rows but the file has {rows}");
        }
        if (cursor.Position < 0 || cursor.Position > rows || cursor.Epoch < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(cursor), $"cursor epoch {cursor.Epoch} position {cursor.Position} is out of range");
        }
        return new DatasetStream(reader, options, cursor);
    }

    public async IAsyncEnumerable<DataRecord> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (_options.Epochs is not { } max || Cursor.Epoch < max)
        {
            var epoch = Cursor.Epoch;
            var wholeEpoch = Cursor.Position == 0;
            var yielded = 0L;
            var order = new ReadOrder(_reader.BlockSizes, Cursor.Seed, Cursor.Shuffle, epoch);
            foreach (var (block, rows) in order.From(Cursor.Position))
            {
                await foreach (var row in _reader.ReadAsync(block, rows, cancellationToken))
                {
                    // The cursor names the next row; after an epoch's last row that is row 0 of the next epoch.
                    Cursor = Cursor.Position + 1 < Rows
                        ? Cursor with { Position = Cursor.Position + 1 }
                        : Cursor with { Epoch = epoch + 1, Position = 0 };
                    if (row.Record is null)
                    {
                        Report(row);
                        continue;
                    }
                    yielded++;
                    yield return row.Record;
                }
            }
            if (Cursor.Epoch == epoch)
            {
                Cursor = Cursor with { Epoch = epoch + 1, Position = 0 };
            }
            if (yielded == 0 && wholeEpoch && _options.Epochs is null)
            {
                throw new DatasetFormatException(_reader.Path, null, "no usable row in a whole epoch");
            }
        }
    }

    private void Report(RowResult row)
    {
        if (_options.Malformed == MalformedRowPolicy.Fail)
        {
            throw new DatasetFormatException(_reader.Path, row.Location, row.Error ?? "malformed row");
        }
        SkippedRows++;
        if (_problems.Count < _options.MaxReportedProblems)
        {
            _problems.Add($"{_reader.Path} {row.Location}: {row.Error}");
        }
    }
}
