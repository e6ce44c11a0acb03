namespace MmUpt.Cli;

/// <summary>A process could not be asked for its status; the message is the one line the user sees.</summary>
public sealed class StatusProbeException(string message) : Exception(message);
