namespace MmUpt.Training.Dispatch;

/// <summary>The successful attempt of one group: what the replica answered, which attempt it was, where it ran.</summary>
public sealed record DispatchOutcome<T>(T Result, uint Attempt, string Replica);
