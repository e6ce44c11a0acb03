using Microsoft.Extensions.Logging;

namespace MmUpt.Learner.Loop;

/// <summary>The step loop's log events.</summary>
public static partial class LoopLog
{
    [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "{Line}")]
    public static partial void Step(ILogger logger, string line);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Information, Message = "{Line}")]
    public static partial void Replica(ILogger logger, string line);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Warning, Message = "collapse guard: {Reason}; {Action}")]
    public static partial void GuardTriggered(ILogger logger, string reason, string action);

    [LoggerMessage(EventId = 1404, Level = LogLevel.Warning, Message = "group {GroupId}: every attempt failed ({Error}); dispatching it again")]
    public static partial void GroupFailed(ILogger logger, string groupId, string error);

    [LoggerMessage(EventId = 1405, Level = LogLevel.Warning, Message = "group {GroupId}: no verdict within {Seconds} s after its rollout; dispatching it again")]
    public static partial void GroupNotScored(ILogger logger, string groupId, double seconds);
}
