using Microsoft.Extensions.Logging;

namespace MmUpt.Voting;

/// <summary>The voting service's log events (source-generated; event ids are stable).</summary>
internal static partial class VotingLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Debug, Message = "Scored group {Group}: majority '{Majority}' ratio {Ratio:F2} ({Mode})")]
    public static partial void GroupScored(ILogger logger, GroupAttempt group, string majority, double ratio, string mode);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Expired incomplete group {Group}: {Received} of {Size} samples after {Timeout}; never scored")]
    public static partial void GroupExpired(ILogger logger, GroupAttempt group, int received, uint size, TimeSpan timeout);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Rejected sample from {Peer}: {Reason}")]
    public static partial void SampleRejected(ILogger logger, string peer, string reason);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "Back-pressure on {Peer}: {Reason}")]
    public static partial void BackPressure(ILogger logger, string peer, string reason);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Information, Message = "Subscriber '{Consumer}' left; {Released} leased groups returned to the queue")]
    public static partial void SubscriberLeft(ILogger logger, string consumer, int released);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Information, Message = "Voting service ready: mode {Mode}, group timeout {Timeout}, max pending {MaxPending}, log {Log}")]
    public static partial void Started(ILogger logger, string mode, TimeSpan timeout, int maxPending, string log);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Information, Message = "Recovered {Groups} scored, unacknowledged groups from {Path}")]
    public static partial void Recovered(ILogger logger, int groups, string path);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Information, Message = "{Count} leases passed their acknowledgement deadline; the groups are back in the queue")]
    public static partial void LeasesExpired(ILogger logger, int count);

    [LoggerMessage(EventId = 5009, Level = LogLevel.Error, Message = "Group {Group} could not be persisted ({Reason}); not confirmed")]
    public static partial void PersistFailed(ILogger logger, string group, string reason);
}
