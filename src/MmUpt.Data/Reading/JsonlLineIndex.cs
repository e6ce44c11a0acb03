using Microsoft.Win32.SafeHandles;

namespace MmUpt.Data;

/// <summary>One pass over a JSONL file that records where each non-blank line starts, how long it is, and its number.</summary>
internal static class JsonlLineIndex
{
    public static async Task<List<(long Start, int Length, int Line)>> ScanAsync(SafeFileHandle file, CancellationToken cancellationToken)
    {
        var lines = new List<(long, int, int)>();
        var buffer = new byte[1 << 20];
        long offset = 0, lineStart = 0;
        var lineNumber = 1;
        var hasContent = false;
        var first = true;
        int read;
        while ((read = await RandomAccess.ReadAsync(file, buffer, offset, cancellationToken)) > 0)
        {
            var start = 0;
            if (first && read >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF)
            {
                start = 3;
                lineStart = 3;
            }
            first = false;
            for (var i = start; i < read; i++)
            {
                var b = buffer[i];
                if (b == (byte)'\n')
                {
                    var end = offset + i;
                    if (hasContent) lines.Add((lineStart, LineLength(lineStart, end), lineNumber));
                    lineNumber++;
                    lineStart = end + 1;
                    hasContent = false;
                }
                else if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
                {
                    hasContent = true;
                }
            }
            offset += read;
        }
        if (hasContent) lines.Add((lineStart, LineLength(lineStart, offset), lineNumber));
        return lines;
    }

    private static int LineLength(long start, long end) =>
        end - start <= int.MaxValue ? (int)(end - start) : throw new InvalidDataException("a JSONL line is over 2 GB");
}
