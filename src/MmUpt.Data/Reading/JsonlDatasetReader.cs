using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using MmUpt.Processing.Images;
using Microsoft.Win32.SafeHandles;

namespace MmUpt.Data;

/// <summary>
/// JSONL: one object per line, <c>{"id", "problem", "answer"?, "image" | "images"}</c>. Images are strings (see
/// <see cref="ImageSource"/>) or <c>{"bytes": base64, "path": ...}</c> objects. Blank lines are not rows. Opening scans
/// the file once for line offsets (12 bytes per row); rows are then read one line at a time by offset.
/// </summary>
public sealed class JsonlDatasetReader : IDatasetReader
{
    private readonly SafeFileHandle _file;
    private readonly long[] _starts;
    private readonly int[] _lengths;
    private readonly int[] _lineNumbers;
    private readonly string _directory;
    private readonly string _stem;
    private readonly ImageLimits _images;

    private JsonlDatasetReader(string path, SafeFileHandle file, List<(long Start, int Length, int Line)> lines, ImageLimits images)
    {
        _images = images;
        Path = path;
        _file = file;
        _starts = lines.Select(l => l.Start).ToArray();
        _lengths = lines.Select(l => l.Length).ToArray();
        _lineNumbers = lines.Select(l => l.Line).ToArray();
        _directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        _stem = System.IO.Path.GetFileNameWithoutExtension(path);
        BlockSizes = [_starts.Length];
    }

    public string Path { get; }

    public IReadOnlyList<int> BlockSizes { get; }

    public static async Task<JsonlDatasetReader> OpenAsync(string path, ImageLimits images, CancellationToken cancellationToken = default)
    {
        var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
        try
        {
            var lines = await JsonlLineIndex.ScanAsync(file, cancellationToken);
            return new JsonlDatasetReader(path, file, lines, images);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public async IAsyncEnumerable<RowResult> ReadAsync(int block, IReadOnlyList<int> rows,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(block, 0);
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var buffer = new byte[_lengths[row]];
            var read = await RandomAccess.ReadAsync(_file, buffer, _starts[row], cancellationToken);
            var location = $"line {_lineNumbers[row]}";
            if (read != buffer.Length)
            {
                yield return new RowResult(location, null, "file changed while reading (short read)");
                continue;
            }
            yield return Parse(location, _lineNumbers[row], buffer);
        }
    }

    private RowResult Parse(string location, int line, byte[] utf8)
    {
        // JsonDocument checks structure but not the bytes inside strings; reading such a string throws later, far from the row.
        if (InvalidUtf8At(utf8) is { } column)
        {
            return new RowResult(location, null, $"not valid UTF-8 (byte {column + 1} of the line)");
        }
        try
        {
            using var doc = JsonDocument.Parse(utf8);
            var record = JsonlRecordParser.Parse(doc.RootElement, $"{_stem}:{line}", _directory, _images);
            var error = RecordValidator.Validate(record, _images);
            return new RowResult(location, error is null ? record : null, error);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            return new RowResult(location, null, ex.Message);
        }
    }

    private static int? InvalidUtf8At(byte[] utf8)
    {
        var chars = new char[utf8.Length];
        var status = System.Text.Unicode.Utf8.ToUtf16(utf8, chars, out var read, out _, replaceInvalidSequences: false);
        return status == System.Buffers.OperationStatus.Done ? null : read;
    }

    public ValueTask DisposeAsync()
    {
        _file.Dispose();
        return ValueTask.CompletedTask;
    }
}
