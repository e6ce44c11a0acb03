using Microsoft.Extensions.Logging;

namespace MmUpt.Rollout;

/// <summary>The rollout worker's log events.</summary>
internal static partial class RolloutLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "generator done: {Groups} group(s), {Rows} rows, weights v{Version}, {Tokens} tokens, prefill {PrefillMs:F1} ms, decode {DecodeMs:F1} ms")]
    public static partial void BatchDone(ILogger logger, int groups, int rows, ulong version, long tokens, double prefillMs, double decodeMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "generator of {Groups} group(s) failed: {Message}")]
    public static partial void BatchFailed(ILogger logger, int groups, string message);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "voting service {Address}: sample {GroupId}#{Attempt}[{Index}] try {Try} failed ({Status}); retrying")]
    public static partial void VotingRetry(ILogger logger, string address, string groupId, uint attempt, uint index, int @try, string status);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "weights v{Version} active (load {LoadMs:F0} ms, {How}); loaded: {Loaded}")]
    public static partial void VersionActive(ILogger logger, ulong version, double loadMs, string how, string loaded);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "weights v{Version} rejected: {Message}")]
    public static partial void VersionRejected(ILogger logger, ulong version, string message);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "group {GroupId}#{Attempt} failed: {Status} {Message}")]
    public static partial void GroupFailed(ILogger logger, string groupId, uint attempt, string status, string message);

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "weights versions are built as new models: {Reason}")]
    public static partial void NoModelReuse(ILogger logger, string reason);

    [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "SyncWeights will refuse every version: {Reason}")]
    public static partial void VersionsRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "weights v{Version}: writing into the spare model failed ({Message}); building a new model")]
    public static partial void ReuseFailed(ILogger logger, ulong version, string message);
}
