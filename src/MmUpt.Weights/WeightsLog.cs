using Microsoft.Extensions.Logging;

namespace MmUpt.Weights;

/// <summary>Log events of weights publishing, serving and downloading (source-generated; event ids are stable).</summary>
internal static partial class WeightsLog
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Debug, Message = "Serving weights version {Version} file {File} from offset {Offset} to {Peer}")]
    public static partial void Serving(ILogger logger, ulong version, string file, ulong offset, string peer);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "Weights version {Version} file {File} on disk has {Actual} bytes, manifest says {Expected}")]
    public static partial void ServedFileChanged(ILogger logger, ulong version, string file, long actual, ulong expected);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Warning, Message = "Download of weights version {Version} file {File} interrupted at byte {Offset} ({Status}); retry {Attempt} resumes there")]
    public static partial void DownloadInterrupted(ILogger logger, ulong version, string file, long offset, string status, int attempt);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Warning, Message = "Integrity check failed: {Problem}; downloading the file again from the start (retry {Attempt})")]
    public static partial void IntegrityRetry(ILogger logger, string problem, int attempt);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Information, Message = "Downloaded weights version {Version} ({Files} files, {Bytes} bytes) in {Elapsed}")]
    public static partial void Downloaded(ILogger logger, ulong version, int files, long bytes, TimeSpan elapsed);
}
