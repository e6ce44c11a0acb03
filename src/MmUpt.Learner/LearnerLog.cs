using Microsoft.Extensions.Logging;

namespace MmUpt.Learner;

/// <summary>The learner's log lines (event ids 6001–6099).</summary>
public static partial class LearnerLog
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Loaded {Checkpoint} on {Device} ({Precision}, {Threads} threads); reference {Reference}")]
    public static partial void Loaded(ILogger logger, string checkpoint, string device, string precision, int threads, string reference);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Resumed from {Folder}: step {Step}, weights version {Version}, {Pending} pending groups")]
    public static partial void Resumed(ILogger logger, string folder, long step, ulong version, int pending);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Information, Message = "Step {Step}: {Metrics}")]
    public static partial void StepDone(ILogger logger, long step, string metrics);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Warning, Message = "Rejected {Reason}")]
    public static partial void Rejected(ILogger logger, string reason);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Information, Message = "Checkpoint {Folder}")]
    public static partial void Checkpointed(ILogger logger, string folder);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Error, Message = "Step {Step} failed on groups {Groups}; its gradients are discarded: {Error}")]
    public static partial void StepFailed(ILogger logger, long step, string groups, string error);

    [LoggerMessage(EventId = 6007, Level = LogLevel.Warning, Message = "Subscription to {Address} broke ({Detail}); subscribing again")]
    public static partial void SubscriptionBroken(ILogger logger, string address, string detail);

    [LoggerMessage(EventId = 6008, Level = LogLevel.Warning, Message = "Acknowledging {Count} groups failed ({Detail}); the voting service may redeliver them")]
    public static partial void AcknowledgeFailed(ILogger logger, int count, string detail);

    [LoggerMessage(EventId = 6009, Level = LogLevel.Information, Message = "Final weights as a Hugging Face folder: {Folder}")]
    public static partial void FinalSaved(ILogger logger, string folder);
}
