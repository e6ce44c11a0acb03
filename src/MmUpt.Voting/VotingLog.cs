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

    [LoggerMessage(EventId = 5005, Level = LogLevel.Information, Message = "Subscriber of '{Consumer}' left; {Released} unacknowledged groups will be redelivered")]
    public static partial void SubscriberLeft(ILogger logger, string consumer, int released);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Information, Message = "Voting service ready: mode {Mode}, group timeout {Timeout}, max pending {MaxPending}")]
    public static partial void Started(ILogger logger, string mode, TimeSpan timeout, int maxPending);
}
