using Microsoft.Extensions.Logging;

namespace MmUpt.Learner.Publishing;

/// <summary>Log events of weights publishing (source-generated; event ids are stable).</summary>
internal static partial class PublishingLog
{
    [LoggerMessage(EventId = 7101, Level = LogLevel.Information,
        Message = "Published weights version {Version} (step {Step}, {Bytes} bytes): snapshot {Snapshot}, write {Write}, hash and seal {Seal}")]
    public static partial void Published(ILogger logger, ulong version, ulong step, long bytes, TimeSpan snapshot, TimeSpan write, TimeSpan seal);
}
