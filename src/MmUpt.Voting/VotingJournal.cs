using System.Buffers.Binary;
using System.IO.Hashing;
using System.Threading.Channels;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using MmUpt.Contracts.V1;

namespace MmUpt.Voting;

/// <summary>
/// The voting service's durable log: one append-only file, <c>voting.log</c>, in <see cref="VotingOptions.DataFolder"/>.
/// <code>
///   record = length (uint32 LE) · crc32 of payload (uint32 LE, IEEE) · payload (a VotingLogRecord, protobuf)
/// </code>
/// Appends are group-committed: one writer drains every queued record, writes them, then fsyncs once
/// (<c>FileStream.Flush(true)</c>), and only then completes their tasks; a caller confirms nothing before its task has
/// completed. Replay (<see cref="Open"/>) reads records until the first torn or corrupt one (a crash mid-write can only
/// tear records nobody was told about) and truncates the file there. When the file passes
/// <see cref="VotingOptions.LogCompactBytes"/> and less than half of it is live, it is rewritten with the live (scored,
/// unacknowledged) records and the remembered scored ids, fsynced, and renamed over the old one. The file is opened
/// exclusively, so two services cannot share a folder.
/// </summary>
internal sealed partial class VotingJournal : IAsyncDisposable
{
    public const string FileName = "voting.log";
    private const int HeaderBytes = 8;
    private const int MaxRecordBytes = 1 << 30;

    private readonly string _path;
    private readonly long _compactBytes;
    private readonly Func<List<GroupAttempt>> _closedIds;
    private readonly ILogger _logger;
    private readonly Channel<Write> _writes = Channel.CreateUnbounded<Write>(new UnboundedChannelOptions { SingleReader = true });
    // Writer-only state: where each live (scored, unacknowledged) record sits in the file.
    private readonly Dictionary<GroupAttempt, (long Offset, int Length)> _live = [];
    private readonly Task _writer;
    private FileStream _file;
    private long _liveBytes;

    private VotingJournal(string path, FileStream file, Dictionary<GroupAttempt, (long, int)> live, long compactBytes,
        Func<List<GroupAttempt>> closedIds, ILogger logger)
    {
        (_path, _file, _live, _compactBytes, _closedIds, _logger) = (path, file, live, compactBytes, closedIds, logger);
        _liveBytes = live.Values.Sum(v => (long)v.Item2);
        _writer = Task.Factory.StartNew(WriteLoopAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>What the log held: scored groups not acknowledged (log order) and every group id known to be scored.</summary>
    public sealed record Replay(IReadOnlyList<ScoredGroup> Unacknowledged, IReadOnlyList<(string GroupId, uint Attempt)> Scored, long TornBytes);

    /// <summary>Opens (creating if needed) the log in <paramref name="folder"/> and replays it.</summary>
    public static (VotingJournal Journal, Replay Replay) Open(string folder, long compactBytes, Func<List<GroupAttempt>> closedIds, ILogger logger)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, FileName);
        var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        try
        {
            var live = new Dictionary<GroupAttempt, (long Offset, int Length, ScoredGroup Group)>();
            var scored = new List<(string, uint)>();
            var good = 0L;
            foreach (var (offset, length, record) in Read(file))
            {
                switch (record.RecordCase)
                {
                    case VotingLogRecord.RecordOneofCase.Scored:
                        live[new GroupAttempt(record.Scored.GroupId, record.Scored.Attempt)] = (offset, length, record.Scored);
                        scored.Add((record.Scored.GroupId, record.Scored.Attempt));
                        break;
                    case VotingLogRecord.RecordOneofCase.Acknowledged:
                        live.Remove(new GroupAttempt(record.Acknowledged.GroupId, record.Acknowledged.Attempt));
                        break;
                    case VotingLogRecord.RecordOneofCase.Closed:
                        scored.Add((record.Closed.GroupId, record.Closed.Attempt));
                        break;
                }
                good = offset + length;
            }
            var torn = file.Length - good;
            if (torn > 0)
            {
                JournalLog.TornTail(logger, path, torn, good);
                file.SetLength(good);
            }
            file.Seek(0, SeekOrigin.End);
            var ordered = live.Values.OrderBy(v => v.Offset).ToList();
            var journal = new VotingJournal(path, file, ordered.ToDictionary(v => new GroupAttempt(v.Group.GroupId, v.Group.Attempt), v => (v.Offset, v.Length)),
                compactBytes, closedIds, logger);
            return (journal, new Replay([.. ordered.Select(v => v.Group)], scored, torn));
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Appends a record; the task completes once it is on disk (fsync), or faults when it could not be written.</summary>
    public Task AppendAsync(VotingLogRecord record)
    {
        var write = new Write(record, Frame(record));
        return _writes.Writer.TryWrite(write) ? write.Done.Task : Task.FromException(new ObjectDisposedException(FileName, "the voting log is closed"));
    }

    // length · crc32 · payload
    private static byte[] Frame(VotingLogRecord record)
    {
        var payload = record.ToByteArray();
        var bytes = new byte[HeaderBytes + payload.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), Crc32.HashToUInt32(payload));
        payload.CopyTo(bytes.AsSpan(HeaderBytes));
        return bytes;
    }

    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        await _writer;
        await _file.DisposeAsync();
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Write>();
        while (await _writes.Reader.WaitToReadAsync())
        {
            while (_writes.Reader.TryRead(out var w))
            {
                batch.Add(w);
            }
            try
            {
                foreach (var w in batch)
                {
                    Track(w.Record, _file.Position, w.Bytes.Length);
                    _file.Write(w.Bytes);
                }
                _file.Flush(flushToDisk: true);
                batch.ForEach(w => w.Done.TrySetResult());
                if (_file.Length > _compactBytes && _liveBytes * 2 < _file.Length)
                {
                    Compact();
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                JournalLog.WriteFailed(_logger, _path, ex.Message);
                batch.ForEach(w => w.Done.TrySetException(ex));
            }
            batch.Clear();
        }
    }

    private void Track(VotingLogRecord record, long offset, int length)
    {
        if (record.RecordCase == VotingLogRecord.RecordOneofCase.Scored)
        {
            _live[new GroupAttempt(record.Scored.GroupId, record.Scored.Attempt)] = (offset, length);
            _liveBytes += length;
        }
        else if (record.RecordCase == VotingLogRecord.RecordOneofCase.Acknowledged
                 && _live.Remove(new GroupAttempt(record.Acknowledged.GroupId, record.Acknowledged.Attempt), out var gone))
        {
            _liveBytes -= gone.Length;
        }
    }

    // Rewrites the log as: the remembered scored ids, then the live records copied byte for byte, in log order.
    private void Compact()
    {
        var before = _file.Length;
        var temporary = _path + ".compact";
        var moved = new Dictionary<GroupAttempt, (long, int)>();
        using (var output = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            foreach (var key in _closedIds())
            {
                output.Write(Frame(new VotingLogRecord { Closed = new GroupKey { GroupId = key.GroupId, Attempt = key.Attempt } }));
            }
            foreach (var (key, (offset, length)) in _live.OrderBy(kv => kv.Value.Offset))
            {
                var buffer = new byte[length];
                RandomAccess.Read(_file.SafeFileHandle, buffer, offset);
                moved[key] = (output.Position, length);
                output.Write(buffer);
            }
            output.Flush(flushToDisk: true);
        }
        _file.Dispose();
        File.Move(temporary, _path, overwrite: true);
        _file = new FileStream(_path, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        _file.Seek(0, SeekOrigin.End);
        foreach (var (key, place) in moved)
        {
            _live[key] = place;
        }
        JournalLog.Compacted(_logger, _path, before, _file.Length, _live.Count);
    }

    // Records in order with their offsets and framed lengths; stops at the first torn or corrupt one.
    private static IEnumerable<(long Offset, int Length, VotingLogRecord Record)> Read(FileStream file)
    {
        var header = new byte[HeaderBytes];
        var offset = 0L;
        var length = file.Length;
        while (length - offset >= HeaderBytes)
        {
            RandomAccess.Read(file.SafeFileHandle, header, offset);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(header);
            if (size > MaxRecordBytes || length - offset - HeaderBytes < size)
            {
                yield break;
            }
            var payload = new byte[size];
            RandomAccess.Read(file.SafeFileHandle, payload, offset + HeaderBytes);
            if (Crc32.HashToUInt32(payload) != BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4)))
            {
                yield break;
            }
            VotingLogRecord record;
            try
            {
                record = VotingLogRecord.Parser.ParseFrom(payload);
            }
            catch (InvalidProtocolBufferException)
            {
                yield break;
            }
            yield return (offset, HeaderBytes + (int)size, record);
            offset += HeaderBytes + size;
        }
    }

    private sealed record Write(VotingLogRecord Record, byte[] Bytes)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private static partial class JournalLog
    {
        [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "Voting log {Path}: dropped a torn tail of {Bytes} bytes after offset {Offset} (records nobody was told about)")]
        public static partial void TornTail(ILogger logger, string path, long bytes, long offset);

        [LoggerMessage(EventId = 5102, Level = LogLevel.Error, Message = "Voting log {Path}: write failed: {Reason}")]
        public static partial void WriteFailed(ILogger logger, string path, string reason);

        [LoggerMessage(EventId = 5103, Level = LogLevel.Information, Message = "Voting log {Path} compacted: {Before} -> {After} bytes, {Live} live groups")]
        public static partial void Compacted(ILogger logger, string path, long before, long after, int live);
    }
}
